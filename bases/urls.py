from django.urls import path

from . import views

app_name = "bases"

urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/objection/", views.objection_lodge, name="objection"),
    path("bases/filed/", views.filed_bases, name="filed"),
]
