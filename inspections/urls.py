from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:round_id>/self/<int:base_id>/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    path("<int:pk>/report.pdf", views.inspection_report_pdf, name="inspection_pdf"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/evidence/<int:evidence_id>/",
        views.rectification_evidence,
        name="rectification_evidence",
    ),
    path(
        "rectifications/<int:pk>/transition/", views.rectification_transition, name="rectification_transition"
    ),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/<int:pk>/report.pdf", views.assessment_report_pdf, name="assessment_pdf"),
    path("excellent/", views.excellent_bases, name="excellent"),
    path("from-report/<int:report_id>/", views.spot_check_from_report, name="from_report"),
]
