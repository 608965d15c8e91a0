from django.urls import path

from .views import actions, attachments, batches, detail, documents, edit, experts, objections, panel, pool

app_name = "applications"

urlpatterns = [
    path("", detail.application_list, name="list"),
    path("batches/", batches.batch_list, name="batches"),
    path("batches/new/", batches.batch_create, name="batch_create"),
    path("batches/<int:batch_id>/", batches.batch_detail, name="batch"),
    path("batches/<int:batch_id>/apply/", batches.application_start, name="start"),
    path("batches/<int:batch_id>/panel/", panel.panel_sheet, name="panel"),
    path("batches/<int:batch_id>/panel.xlsx", panel.panel_excel, name="panel_excel"),
    path("batches/<int:batch_id>/bulk/", panel.applications_bulk, name="bulk"),
    path("<int:pk>/", detail.application_detail, name="detail"),
    path("<int:pk>/edit/<slug:step>/", edit.application_edit, name="edit"),
    path("<int:pk>/staff/add/", edit.staff_add, name="staff_add"),
    path("<int:pk>/staff/remove/", edit.staff_remove, name="staff_remove"),
    path("<int:pk>/attachments/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/remove/",
        attachments.attachment_remove,
        name="attachment_remove",
    ),
    path("attachments/<int:attachment_id>/", attachments.attachment_download, name="attachment"),
    path("<int:pk>/transition/", actions.application_transition, name="transition"),
    path("<int:pk>/form.xlsx", detail.application_excel, name="excel"),
    path("<int:pk>/form.pdf", documents.application_form_pdf, name="form_pdf"),
    path("<int:pk>/dossier.zip", documents.application_dossier, name="dossier"),
    path("<int:pk>/versions/<int:number>/", detail.version_detail, name="version"),
    path("<int:pk>/experts/", experts.expert_assign, name="expert_assign"),
    path("<int:pk>/experts/draw/", experts.expert_draw, name="expert_draw"),
    path("<int:pk>/site-visit/", experts.site_visit_record, name="site_visit"),
    path(
        "<int:pk>/objections/<int:objection_id>/resolve/",
        objections.objection_resolve,
        name="objection_resolve",
    ),
    path("expert/", experts.expert_assignments, name="expert_assignments"),
    path("expert/profile/", pool.expert_profile, name="expert_profile"),
    path("experts/", pool.expert_pool, name="expert_pool"),
    path("experts/<int:user_id>/", pool.expert_profile, name="expert"),
    path("expert/<int:pk>/", experts.assignment_detail, name="assignment"),
]
