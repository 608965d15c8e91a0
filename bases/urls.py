from django.urls import path

from . import views

app_name = "bases"

urlpatterns = [
    path("", views.registry, name="home"),
    path("bases/", views.registry, name="registry"),
    path("bases/export.xlsx", views.registry_export, name="export"),
    path("bases/<int:pk>/", views.base_detail, name="detail"),
    path("bases/<int:pk>/report/", views.report_create, name="report_create"),
    path("bases/<int:pk>/history/", views.base_history, name="history"),
    path("bases/<int:pk>/changes/new/", views.change_request_new, name="change_new"),
    path("bases/manage/", views.base_manage_list, name="manage"),
    path("bases/changes/<int:pk>/", views.change_request_detail, name="change"),
    path("bases/changes/<int:pk>/transition/", views.change_request_transition, name="change_transition"),
    path("bases/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("bases/reports/", views.report_list, name="reports"),
    path("bases/reports/<int:pk>/", views.report_detail, name="report"),
    path("bases/import/", views.import_bases, name="import"),
    path("bases/import/template.xlsx", views.import_template, name="import_template"),
    path("bases/filed/", views.filed_bases, name="filed"),
    path("reports/lookup/", views.report_lookup, name="report_lookup"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/feed/", views.NoticeFeed(), name="feed"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/objection/", views.objection_lodge, name="objection"),
]
