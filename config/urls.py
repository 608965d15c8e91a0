from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import views_two_factor as accounts_two_factor
from applications.api import ApplicationViewSet, BatchViewSet
from applications.api_review import ExpertViewSet
from bases.api import BaseViewSet, ChangeRequestViewSet, NoticeViewSet
from inspections.api import AssessmentViewSet, InspectionViewSet, RectificationViewSet, RoundViewSet
from notifications.api import NotificationViewSet
from plans.api import PlanViewSet, TrainingClassViewSet
from portal import api as portal_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("batches", BatchViewSet, basename="batch")
router.register("applications", ApplicationViewSet, basename="application")
router.register("experts", ExpertViewSet, basename="expert")
router.register("notices", NoticeViewSet, basename="notice")
router.register("bases", BaseViewSet, basename="base")
router.register("change-requests", ChangeRequestViewSet, basename="change-request")
router.register("plans", PlanViewSet, basename="plan")
router.register("classes", TrainingClassViewSet, basename="class")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("inspections/rounds", RoundViewSet, basename="inspection-round")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("rectifications", RectificationViewSet, basename="rectification")

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

from hours import api as hours_api  # noqa: E402
from stats import api as stats_api  # noqa: E402

api_v1 = [
    path("hours/records/", hours_api.records, name="api-hours-records"),
    path("hours/records/void/", hours_api.void, name="api-hours-void"),
    path("hours/batches/<uuid:pk>/", hours_api.batch, name="api-hours-batch"),
    path("hours/people/lookup/", hours_api.lookup, name="api-hours-lookup"),
    path("hours/feed/", hours_api.feed, name="api-hours-feed"),
    path("statistics/bases/", stats_api.bases, name="api-statistics-bases"),
    path("statistics/plans/", stats_api.plans, name="api-statistics-plans"),
    path("statistics/supervision/", stats_api.supervision, name="api-statistics-supervision"),
    path("statistics/hours/", stats_api.hours, name="api-statistics-hours"),
    path("auth/token/", portal_api.obtain_token, name="api-token"),
    path("auth/logout/", portal_api.logout, name="api-logout"),
    path("me/", portal_api.me, name="api-me"),
    *router.urls,
]

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("applications/", include("applications.urls")),
    path("inbox/", include("notifications.urls")),
    path("plans/", include("plans.urls")),
    path("inspections/", include("inspections.urls")),
    path("hours/", include("hours.urls")),
    path("statistics/", include("stats.urls")),
    path("", include("applications.public_urls")),
    path("", include("bases.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script from ?script (CSP: no inline script).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    # The admin's own sign-in would skip the second factor: it goes through the portal's.
    path("django-admin/login/", accounts_two_factor.admin_login),
    path("django-admin/", admin.site.urls),
]

if settings.BENCHMARK_ENDPOINTS:
    from django.http import HttpResponse

    def bare(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/bare/", bare))
