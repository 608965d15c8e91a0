from django.urls import path

from .views import bulk_import, changes, documents, notices, registry, reports, staff

app_name = "bases"

urlpatterns = [
    path("", registry.registry, name="home"),
    path("bases/", registry.registry, name="registry"),
    path("bases/export.xlsx", registry.registry_export, name="export"),
    path("bases/<int:pk>/", registry.base_detail, name="detail"),
    path("bases/<int:pk>/certificate.pdf", documents.base_certificate_pdf, name="certificate_pdf"),
    path("bases/<int:pk>/report/", reports.report_create, name="report_create"),
    path("bases/<int:pk>/history/", staff.base_history, name="history"),
    path("bases/<int:pk>/changes/new/", changes.change_request_new, name="change_new"),
    path("bases/manage/", staff.base_manage_list, name="manage"),
    path("bases/changes/<int:pk>/", changes.change_request_detail, name="change"),
    path("bases/changes/<int:pk>/transition/", changes.change_request_transition, name="change_transition"),
    path("bases/evidence/<int:pk>/", staff.evidence_download, name="evidence"),
    path("bases/reports/", reports.report_list, name="reports"),
    path("bases/reports/<int:pk>/", reports.report_detail, name="report"),
    path("bases/import/", bulk_import.import_bases, name="import"),
    path("bases/import/template.xlsx", bulk_import.import_template, name="import_template"),
    path("bases/filed/", staff.filed_bases, name="filed"),
    path("reports/lookup/", reports.report_lookup, name="report_lookup"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/feed/", notices.NoticeFeed(), name="feed"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
]
