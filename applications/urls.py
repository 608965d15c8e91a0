from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/apply/", views.application_start, name="start"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/<slug:step>/", views.application_edit, name="edit"),
    path("<int:pk>/staff/add/", views.staff_add, name="staff_add"),
    path("<int:pk>/staff/remove/", views.staff_remove, name="staff_remove"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/transition/", views.application_transition, name="transition"),
    path("<int:pk>/form.xlsx", views.application_excel, name="excel"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/experts/", views.expert_assign, name="expert_assign"),
    path("<int:pk>/site-visit/", views.site_visit_record, name="site_visit"),
    path(
        "<int:pk>/objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"
    ),
    path("expert/", views.expert_assignments, name="expert_assignments"),
    path("expert/<int:pk>/", views.assignment_detail, name="assignment"),
]
