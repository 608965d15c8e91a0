"""Reads of bases, notices, change requests and reports. Public selectors return only public facts."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for, restrict
from accounts.models import Organization, Region
from audit.models import AuditEvent
from audit.selectors import object_history, visible_links
from kit.ints import safe_int

from .models import Base, ChangeRequest, Filing, Level, MisconductReport, Notice

SORTS = {
    "recognised": ("-recognised_on", "-id"),
    "name": ("name", "id"),
    "certificate": ("certificate_no", "id"),
}
PUBLIC_STATUSES = [Base.Status.ACTIVE, Base.Status.RECTIFICATION]
# national bases count as provincial, so the provincial filter includes them (each keeps its own label).
LEVELS_OF_FILTER = {Level.PROVINCIAL: [Level.PROVINCIAL, Level.NATIONAL]}


@dataclass
class RegistryFilters:
    q: str = ""
    level: str = ""
    prefecture: str = ""
    county: str = ""
    field: str = ""
    authority: str = ""
    status: str = ""
    sort: str = "recognised"

    @classmethod
    def from_query(cls, params):
        values = {k: (params.get(k) or "").strip()[:60] for k in cls.__dataclass_fields__}
        if values["sort"] not in SORTS:
            values["sort"] = "recognised"
        if values["level"] and values["level"] not in Level.values:
            values["level"] = ""
        if values["status"] and values["status"] not in Base.Status.values and values["status"] != "all":
            values["status"] = ""
        for key in ("prefecture", "county"):
            if values[key] and not values[key].isdigit():
                values[key] = ""
        if values["authority"] and safe_int(values["authority"]) is None:
            values["authority"] = ""
        return cls(**values)


def _apply(qs, f: RegistryFilters, *, skip: str = ""):
    if f.q:
        qs = qs.filter(search_text__icontains=f.q)
    if f.level and skip != "level":
        qs = qs.filter(level__in=LEVELS_OF_FILTER.get(f.level, [f.level]))
    if f.prefecture and skip != "prefecture":
        qs = qs.filter(prefecture_id=f.prefecture)
    if f.county:
        qs = qs.filter(region_id=f.county)
    if f.field:
        qs = qs.filter(fields_text__contains=f"、{f.field}、")
    if f.authority and skip != "authority":
        qs = qs.filter(approving_authority_id=int(f.authority))
    if skip != "status":
        if f.status == "all":
            pass
        elif f.status:
            qs = qs.filter(status=f.status)
        else:
            # Revoked bases are hidden unless asked for.
            qs = qs.filter(status__in=PUBLIC_STATUSES)
    return qs


def level_filter_label(level: str) -> str:
    """The label of a level in the filter: the provincial one says that it includes national bases (R-36)."""
    if level == Level.PROVINCIAL:
        return _("省级（含国家级）")
    return Level(level).label


def registry_search(f: RegistryFilters):
    """The public list of bases for the filters, with the related rows it shows, in the requested order."""
    qs = _apply(Base.objects.all(), f).select_related(
        "institution", "approving_authority", "region", "prefecture"
    )
    return qs.order_by(*SORTS[f.sort])


def registry_facets(f: RegistryFilters) -> dict:
    """Counts per value of each filter, for the other filters as set (a fixed number of queries)."""
    base = Base.objects.all()

    def counts(field, skip):
        return dict(_apply(base, f, skip=skip).order_by().values_list(field).annotate(n=Count("id")))

    level_counts = counts("level", "level")
    national = level_counts.get(Level.NATIONAL, 0)
    level_counts[Level.PROVINCIAL] = level_counts.get(Level.PROVINCIAL, 0) + national
    prefecture_counts = counts("prefecture_id", "prefecture")
    authority_counts = counts("approving_authority_id", "authority")
    status_counts = counts("status", "status")
    prefectures = Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code")
    authorities = Organization.objects.filter(pk__in=[k for k in authority_counts if k]).order_by(
        "kind", "name"
    )
    return {
        "levels": [(value, level_filter_label(value), level_counts.get(value, 0)) for value in Level.values],
        "prefectures": [(r.code, r.name, prefecture_counts.get(r.code, 0)) for r in prefectures],
        "authorities": [(o.pk, o.name, authority_counts.get(o.pk, 0)) for o in authorities],
        "statuses": [(value, label, status_counts.get(value, 0)) for value, label in Base.Status.choices],
    }


def base_public(pk):
    return (
        Base.objects.select_related("institution", "approving_authority", "region__parent")
        .prefetch_related("partners", "fees")
        .filter(pk=pk)
        .first()
    )


def base_timeline(base):
    """Every notice about the base, oldest first, including the publicity of the application it came from."""
    q = Q(base=base) | Q(
        pk__in=Notice.listed_bases.through.objects.filter(base_id=base.pk).values("notice_id")
    )
    if base.application_id:
        q |= Q(application_id=base.application_id)
    return Notice.objects.filter(q).select_related("authority").order_by("published_at", "id")


def notice_list_public(*, kind: str = "", authority_id: str = ""):
    qs = Notice.objects.select_related("authority", "base")
    if kind:
        qs = qs.filter(kind=kind)
    if safe_int(authority_id) is not None:
        qs = qs.filter(authority_id=safe_int(authority_id))
    return qs.order_by("-published_at", "-id")


def notice_get_public(pk):
    return Notice.objects.select_related("authority", "base", "application__batch").filter(pk=pk).first()


def filed_bases_for(user):
    """R-03, R-34: the provincial HR department sees every recognition and change filed with it."""
    if not actor_for(user).is_provincial:
        return Filing.objects.none()
    return Filing.objects.select_related(
        "base__institution", "base__region", "filed_by", "change_request"
    ).order_by("-filed_at")


def bases_visible_to(user):
    """Bases a signed-in user works on: their institution's, or those their authority approved (provincial: all)."""
    return restrict(
        Base.objects.all(), user, authority_field="approving_authority_id", institution_field="institution_id"
    )


def change_requests_visible_to(user):
    return restrict(
        ChangeRequest.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def change_request_next_step(cr) -> str:
    """Who acts next on a change request (R-34), in words for its page's status panel."""
    if cr.state == ChangeRequest.State.SUBMITTED:
        return _("由%(a)s审批（批准或退回）") % {"a": cr.base.approving_authority.name}
    if cr.state == ChangeRequest.State.RETURNED:
        return _("由%(b)s修改后重新提交，或撤回申请") % {"b": cr.base.name}
    if cr.state == ChangeRequest.State.APPROVED:
        return _("已批准并公布，无需再办理")
    return _("已撤回，无需再办理")


def change_request_history(cr) -> list:
    """Return a change request's history: whoever may see the request reads all of it (its comments are the
    reasons given to the base)."""
    return object_history(cr)


def reports_visible_to(user):
    """Reports, with the reporter's identity, are for the approving authority (and the province) only."""
    return restrict(MisconductReport.objects.all(), user, authority_field="base__approving_authority_id")


def report_next_step(report) -> str:
    """Who acts next on a misconduct report (R-29), in words for its page's status panel."""
    authority = report.base.approving_authority.name
    if report.status == MisconductReport.Status.OPEN:
        return _("由%(a)s处理（不予立案或转入抽查）") % {"a": authority}
    if report.status == MisconductReport.Status.DISMISSED:
        return _("不予立案，已办结")
    if report.inspections.exists():
        return _("已组织专项抽查，后续在抽查页面办理")
    return _("由%(a)s组织专项抽查") % {"a": authority}


def report_history(report) -> list:
    """Return a report's history: only the authority sees a report, and it reads all of it."""
    return object_history(report)


# What a base's history page shows: its own life (recognition, filing, status, changes and their requests). Reads
# recorded against it (exports of its hours) are for the audit administrator's trail only.
HISTORY_ACTIONS = Q(action__startswith="base.") | Q(action__startswith="change_request.")


def base_history(base) -> list:
    """Return the events of a base's life, oldest first (the page checks the base is visible first)."""
    of = {
        "bases.base": [str(base.pk)],
        "bases.changerequest": [str(pk) for pk in base.change_requests.values_list("pk", flat=True)],
        "bases.filing": [str(pk) for pk in base.filings.values_list("pk", flat=True)],
    }
    q = Q(pk__in=[])
    for object_type, ids in of.items():
        q |= Q(object_type=object_type, object_id__in=ids)
    return list(AuditEvent.objects.filter(q).filter(HISTORY_ACTIONS).order_by("created_at", "id"))


def base_links(user, ids) -> dict:
    """Where each base opens for a reader: its history for the staff who work on it, else its public page."""
    return {
        **visible_links(Base.objects.all(), ids, "bases:detail"),
        **visible_links(bases_visible_to(user), ids, "bases:history"),
    }


def report_by_receipt(code: str):
    code = (code or "").strip().upper()
    if len(code) != 12:
        return None
    return MisconductReport.objects.select_related("base").filter(receipt_code=code).first()


def counties_of(prefecture_code: str):
    if not prefecture_code:
        return []
    return list(Region.objects.filter(parent_id=prefecture_code).order_by("code").values_list("code", "name"))
