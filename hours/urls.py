from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("", views.base_home, name="home"),
    path("template.xlsx", views.template, name="template"),
    path("bases/<int:base_id>/keys/", views.key_issue, name="key_issue"),
    path("keys/<int:key_id>/revoke/", views.key_revoke, name="key_revoke"),
    path("keys/", views.key_list, name="keys"),
    path("keys/<int:key_id>/revoke-any/", views.key_revoke_any, name="key_revoke_any"),
    path("bases/<int:base_id>/upload/", views.upload, name="upload"),
    path("bases/<int:base_id>/statistics/<int:year>.xlsx", views.statistics_export, name="statistics_export"),
    path("bases/<int:base_id>/records/<int:year>.xlsx", views.records_export, name="records_export"),
    path("batches/<uuid:pk>/", views.batch_page, name="batch"),
    path("batches/<uuid:pk>/status.json", views.batch_status, name="batch_status"),
    path("batches/<uuid:pk>/refused.xlsx", views.batch_refused, name="batch_refused"),
    path("lookup/", views.lookup, name="lookup"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_all_export, name="statistics_all_export"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>.pdf", views.certificate_download, name="certificate_pdf"),
    path("verify/", views.verify, name="verify"),
    path("years/", views.years, name="years"),
    path("years/feed-keys/", views.feed_key_issue, name="feed_key_issue"),
]
