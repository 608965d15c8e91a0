"""Every GET URL pattern of the site and the API, with sample arguments taken from the demo world, and the
query parameters each view reads (found by recording what it asks of request.GET).

A new URL pattern without an entry in SAMPLES makes the crawl tests fail, so no page escapes them.
"""

import re
from dataclasses import dataclass, field

from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def _first(model, **filters):
    obj = model.objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"the demo world has no {model.__name__} {filters}")
    return obj


# URL names whose sample object the demo world lacks, from the last targets() call.
unresolved: list[str] = []


def _absent_kwargs(route: str) -> dict:
    out = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        out[name] = {"uuid": "00000000-0000-0000-0000-000000000000", "str": "absent", "slug": "absent"}.get(
            converter, 2_000_000_000
        )
    return out


def _samples():
    """URL name → the kwargs of one object of the demo world (imports late: the apps must be loaded)."""
    from accounts.models import Membership, Organization
    from applications.models import (
        Application,
        ApplicationVersion,
        Attachment,
        Batch,
        ExpertAssignment,
        Objection,
    )
    from bases.models import ChangeRequest, Evidence, MisconductReport, Notice
    from hours.models import ApiKey, Certificate, IngestBatch
    from inspections.models import Inspection, InspectionRound, Rectification
    from notifications.models import Notification
    from plans.models import AnnualPlan, PlanItem, TrainingClass

    def app():
        return _first(Application, attachments__isnull=False)

    def base():
        # The base whose platform reports hours (its pages have the most to show).
        return _first(ApiKey, scope="ingest", revoked_at__isnull=True).base

    def inst():
        return _first(Organization, kind=Organization.Kind.INSTITUTION, memberships__isnull=False)

    def version():
        v = _first(ApplicationVersion)
        return {"pk": v.application_id, "number": v.number}

    def plan_item():
        item = _first(PlanItem)
        return {"pk": item.plan_id, "item_id": item.pk}

    def objection():
        o = _first(Objection)
        return {"pk": o.application_id, "objection_id": o.pk}

    def rectification_evidence():
        evidence = _first_model("inspections", "RectificationEvidence")
        return {"pk": evidence.rectification_id, "evidence_id": evidence.pk}

    return {
        "accounts:members": lambda: {"pk": inst().pk},
        "accounts:member_active": lambda: {"pk": inst().pk, "user_id": inst().memberships.first().user_id},
        "accounts:region_edit": lambda: {"code": "510105"},
        "accounts:member_password": lambda: {"pk": inst().pk, "user_id": inst().memberships.first().user_id},
        "accounts:registration": lambda: {"pk": inst().pk},
        "accounts:lockout_release": lambda: {"pk": _first_model("axes", "AccessAttempt").pk},
        "accounts:otp_reset": lambda: {"user_id": inst().memberships.first().user_id},
        "accounts:two_factor_policy": lambda: {"pk": inst().pk},
        "applications:batch": lambda: {"batch_id": _first(Batch).pk},
        "applications:panel": lambda: {"batch_id": _first(Batch).pk},
        "applications:panel_excel": lambda: {"batch_id": _first(Batch).pk},
        "applications:bulk": lambda: {"batch_id": _first(Batch).pk},
        "inspections:rectification_evidence": rectification_evidence,
        "hours:key_revoke_any": lambda: {"key_id": _first(ApiKey, scope="ingest").pk},
        "applications:start": lambda: {"batch_id": _first(Batch).pk},
        "applications:detail": lambda: {"pk": app().pk},
        "applications:edit": lambda: {"pk": app().pk, "step": "institution"},
        "applications:staff_add": lambda: {"pk": app().pk},
        "applications:staff_remove": lambda: {"pk": app().pk},
        "applications:attachment_upload": lambda: {"pk": app().pk},
        "applications:attachment_remove": lambda: {
            "pk": app().pk,
            "attachment_id": app().attachments.first().pk,
        },
        "applications:attachment": lambda: {"attachment_id": _first(Attachment).pk},
        "applications:transition": lambda: {"pk": app().pk},
        "applications:excel": lambda: {"pk": app().pk},
        "applications:form_pdf": lambda: {"pk": app().pk},
        "applications:dossier": lambda: {"pk": app().pk},
        "applications:version": version,
        "applications:expert_assign": lambda: {"pk": app().pk},
        "applications:expert_draw": lambda: {"pk": app().pk},
        "applications:expert": lambda: {"user_id": _first(Membership, role="expert").user_id},
        "applications:site_visit": lambda: {"pk": app().pk},
        "applications:objection_resolve": objection,
        "applications:assignment": lambda: {"pk": _first(ExpertAssignment).pk},
        "notifications:open": lambda: {"pk": _first(Notification).pk},
        "plans:detail": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:item_add": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:item_edit": plan_item,
        "plans:item_remove": plan_item,
        "plans:transition": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:delete": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:amend": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:class_create": lambda: {"pk": _first(AnnualPlan).pk},
        "plans:class": lambda: {"pk": _first(TrainingClass).pk},
        "plans:yearly_evaluation": lambda: {"base_id": base().pk, "year": 2026},
        "inspections:round": lambda: {"pk": _first(InspectionRound).pk},
        "inspections:round_publish": lambda: {"pk": _first(InspectionRound).pk},
        "inspections:self_assessment": lambda: {"round_id": _first(InspectionRound).pk, "base_id": base().pk},
        "inspections:inspection": lambda: {"pk": _first(Inspection).pk},
        "inspections:inspection_pdf": lambda: {"pk": _first(Inspection).pk},
        "inspections:assessment_pdf": lambda: {"pk": _first_assessment()},
        "inspections:rectification": lambda: {"pk": _first(Rectification).pk},
        "inspections:rectification_transition": lambda: {"pk": _first(Rectification).pk},
        "inspections:from_report": lambda: {"report_id": _first(MisconductReport).pk},
        "hours:key_issue": lambda: {"base_id": base().pk},
        "hours:key_revoke": lambda: {"key_id": _first(ApiKey, scope="ingest").pk},
        "hours:upload": lambda: {"base_id": base().pk},
        "hours:statistics_export": lambda: {"base_id": base().pk, "year": 2026},
        "hours:records_export": lambda: {"base_id": base().pk, "year": 2026},
        "hours:batch": lambda: {"pk": _first(IngestBatch).pk},
        "hours:batch_status": lambda: {"pk": _first(IngestBatch).pk},
        "hours:batch_refused": lambda: {"pk": _first(IngestBatch).pk},
        "hours:certificate": lambda: {"code": _first(Certificate).code},
        "hours:certificate_pdf": lambda: {"code": _first(Certificate).code},
        "stats:base": lambda: {"pk": base().pk},
        "publicity:objection": lambda: {"pk": _first(Notice, kind=Notice.Kind.PUBLICITY).pk},
        "bases:detail": lambda: {"pk": base().pk},
        "bases:certificate_pdf": lambda: {"pk": base().pk},
        "bases:report_create": lambda: {"pk": base().pk},
        "bases:history": lambda: {"pk": base().pk},
        "bases:change_new": lambda: {"pk": base().pk},
        "bases:change": lambda: {"pk": _first(ChangeRequest).pk},
        "bases:change_transition": lambda: {"pk": _first(ChangeRequest).pk},
        "bases:evidence": lambda: {"pk": _first(Evidence).pk},
        "bases:report": lambda: {"pk": _first(MisconductReport).pk},
        "bases:notice": lambda: {"pk": _first(Notice).pk},
        "api-hours-batch": lambda: {"pk": _first(IngestBatch).pk},
        # The router's detail routes: one object of each resource.
        "batch-detail": lambda: {"pk": _first(Batch).pk},
        "application-detail": lambda: {"pk": app().pk},
        "application-history": lambda: {"pk": app().pk},
        "application-transitions": lambda: {"pk": app().pk},
        "application-expert-draws": lambda: {"pk": app().pk},
        "batch-panel": lambda: {"pk": _first(Batch).pk},
        "batch-panel-resolutions": lambda: {"pk": _first(Batch).pk},
        "expert-detail": lambda: {"pk": _first(Membership, role="expert").user_id},
        "notice-detail": lambda: {"pk": _first(Notice).pk},
        "base-detail": lambda: {"pk": base().pk},
        "change-request-detail": lambda: {"pk": _first(ChangeRequest).pk},
        "change-request-transitions": lambda: {"pk": _first(ChangeRequest).pk},
        "plan-detail": lambda: {"pk": _first(AnnualPlan).pk},
        "plan-transitions": lambda: {"pk": _first(AnnualPlan).pk},
        "class-detail": lambda: {"pk": _first(TrainingClass).pk},
        "inspection-round-detail": lambda: {"pk": _first(InspectionRound).pk},
        "inspection-detail": lambda: {"pk": _first(Inspection).pk},
        "inspection-transitions": lambda: {"pk": _first(Inspection).pk},
        "assessment-detail": lambda: {"pk": _first_assessment()},
        "assessment-transitions": lambda: {"pk": _first_assessment()},
        "rectification-detail": lambda: {"pk": _first(Rectification).pk},
        "rectification-transitions": lambda: {"pk": _first(Rectification).pk},
    }


def _first_model(app_label, name):
    from django.apps import apps

    return _first(apps.get_model(app_label, name))


def _first_assessment():
    from inspections.models import Assessment

    return _first(Assessment).pk


def complete_demo_world() -> None:
    """Add what seed_demo leaves out and some pages need: a queued Excel batch and a certificate."""
    from accounts.models import User
    from hours import services
    from hours.models import ApiKey, Person

    base = ApiKey.objects.filter(scope="ingest").select_related("base").first().base
    services.batch_submit(
        base=base, records=[{"external_id": "crawl-1"}], source="excel", file_name="crawl.xlsx"
    )
    admin = User.objects.get(username="admin_sc")
    services.certificate_issue(actor=admin, person=Person.objects.order_by("pk").first(), year=2026)


# Who crawls: anonymous, the provincial system, security and audit administrators (三权分立), a city reviewer, an
# institution's admin and base operator, an expert; between them every page is reachable by someone.
CRAWLERS = [
    None,
    "admin_sc",
    "sec_admin",
    "audit_admin",
    "cd_reviewer",
    "inst1_admin",
    "inst1_operator",
    "expert1",
]


# Not crawled, each for a reason: the admin is Django's own; logging out would end the crawling session.
SKIPPED_PREFIXES = ("django-admin/",)
SKIPPED_NAMES = {"accounts:logout"}
_FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>")


@dataclass
class Target:
    name: str
    url: str
    headers: dict = field(default_factory=dict)


def _patterns(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def targets(credentials) -> list[Target]:
    """One Target per GET URL pattern (format-suffix twins of the API routes left out: same views)."""
    samples = _samples()
    out, missing = [], []
    unresolved.clear()
    for route, name in _patterns(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES or _FORMAT_SUFFIX.search(route):
            continue
        assert name, f"unnamed URL pattern {route}"
        needs_kwargs = "<" in route or "(?P<" in route
        if needs_kwargs and name not in samples:
            missing.append(f"{name} ({route})")
            continue
        if needs_kwargs:
            try:
                kwargs = samples[name]()
            except LookupError:
                # No such object in the demo world: the URL is still crawled, with ids no object has (a 404).
                unresolved.append(name)
                kwargs = _absent_kwargs(route)
        else:
            kwargs = None
        url = reverse(name, kwargs=kwargs)
        headers = credentials.headers_for(url, ["ApiKey"]) if url.startswith("/api/v1/hours/") else {}
        out.append(Target(name, url, headers))
    assert not missing, "add sample arguments to tests/security/crawl.py for: " + ", ".join(missing)
    return out


class RecordingQueryDict(QueryDict):
    """A request.GET that notes every key a view asks for (in the class's set, so copies record too)."""

    asked: set = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


class ParameterRecorder:
    """Patch WSGIRequest.GET (the test client's request class; DRF's query_params read it) to record keys."""

    PROBE = "_probe"  # a key of no view, so that `Form(request.GET or None)` binds and reads its fields

    def __init__(self, monkeypatch):
        self.asked: set = set()
        recording = type("Recording", (RecordingQueryDict,), {"asked": self.asked})

        def get(request):
            if not hasattr(request, "_recorded_get"):
                request._recorded_get = recording(
                    request.META.get("QUERY_STRING", ""), encoding=request._encoding
                )
            return request._recorded_get

        def set_(request, value):
            request._recorded_get = value

        monkeypatch.setattr(WSGIRequest, "GET", property(get, set_))

    def parameters_of(self, client, target, **extra) -> tuple[int, set]:
        """GET the target once with the probe; return the status and the parameters the view read."""
        self.asked.clear()
        response = client.get(target.url, {self.PROBE: "1"}, headers=target.headers, **extra)
        return response.status_code, self.asked - {self.PROBE}
