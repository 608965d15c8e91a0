"""Figures of bases, applications, plans and supervision for a Scope and its year (R-03, R-22, R-25, R-27, R-36).

Each function runs a fixed number of aggregate queries whatever the number of rows, and returns rows of the same
shape: {"key", "label", "count", ...} (the API and the Excel export read them as they are). Counts of bases agree
with the registry (`/api/v1/bases/?prefecture=…` counts active bases and bases under rectification).
"""

import statistics
from collections import Counter

from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, Region
from applications.models import Application, Batch, Decision
from bases.models import Base, Level, Notice
from inspections.models import (
    ITEMS,
    Assessment,
    Inspection,
    InspectionRound,
    ItemScore,
    Rating,
    Rectification,
    Result,
)
from plans.models import AnnualPlan, PlanState

from .scope import Scope

BASE_GROUPS = ("prefecture", "level", "field", "authority", "status")
PLAN_GROUPS = ("authority", "prefecture")
SUPERVISION_GROUPS = ("kind", "result", "item", "rating", "rectification")
# national bases count as provincial; the level rows show them apart as well ("of which national").
NATIONAL_APART = "national"


def _revoked_in(year_q: Q):
    """Ids of bases whose revocation notice was published in the years of `year_q` (a published_at lookup)."""
    return Notice.objects.filter(year_q, kind=Notice.Kind.REVOCATION, base__isnull=False).values("base_id")


def standing_bases(scope: Scope):
    """The scope's recognised bases at the end of its year: recognised by then and not revoked by then. For the
    current year these are the registry's bases (active or under rectification)."""
    revoked_later = _revoked_in(Q(published_at__year__gt=scope.year))
    return Base.objects.filter(scope.base_q(), recognised_on__lte=scope.year_end).filter(
        ~Q(status=Base.Status.REVOKED) | Q(pk__in=revoked_later)
    )


def _prefecture_rows(counts: dict, **extra_keys) -> list[dict]:
    """One row per prefecture of Sichuan (all 21, zeros included: the map colours every one)."""
    rows = [{"key": r.code, "label": r.name, "count": counts.get(r.code, 0)} for r in _prefectures()]
    if counts.get(None):
        rows.append({"key": "", "label": _("未注明"), "count": counts[None]})
    return rows


def _prefectures():
    return list(Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code").only("code", "name"))


def _authority_labels(ids) -> dict:
    return dict(Organization.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))


def bases_by(scope: Scope, group_by: str) -> list[dict]:
    """Recognised bases of the scope at the end of its year, grouped (a base with several fields counts once
    in each of them; `status` counts every base recognised by then, revoked ones included)."""
    qs = standing_bases(scope).order_by()
    if group_by == "prefecture":
        return _prefecture_rows(dict(qs.values_list("prefecture_id").annotate(n=Count("id"))))
    if group_by == "level":
        counts = dict(qs.values_list("level").annotate(n=Count("id")))
        national = counts.get(Level.NATIONAL, 0)
        rows = [
            {
                "key": Level.PROVINCIAL,
                "label": _("省级（含国家级）"),
                "count": counts.get(Level.PROVINCIAL, 0) + national,
            },
            {"key": NATIONAL_APART, "label": _("其中：国家级"), "count": national},
        ]
        rows += [
            {"key": v, "label": str(label), "count": counts.get(v, 0)}
            for v, label in Level.choices
            if v not in (Level.PROVINCIAL, Level.NATIONAL)
        ]
        return rows
    if group_by == "field":
        # Fields are a short JSON list per base: counted here over one column of the scope's bases.
        counts = Counter(f for fields in qs.values_list("fields", flat=True) for f in (fields or []))
        return [
            {"key": f, "label": f, "count": n}
            for f, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
    if group_by == "authority":
        counts = dict(qs.values_list("approving_authority_id").annotate(n=Count("id")))
        names = _authority_labels(counts)
        return sorted(
            ({"key": str(pk), "label": names.get(pk, ""), "count": n} for pk, n in counts.items()),
            key=lambda r: (-r["count"], r["label"]),
        )
    if group_by == "status":
        every = Base.objects.filter(scope.base_q(), recognised_on__lte=scope.year_end).order_by()
        counts = dict(every.values_list("status").annotate(n=Count("id")))
        return [
            {"key": v, "label": str(label), "count": counts.get(v, 0)} for v, label in Base.Status.choices
        ]
    raise ValueError(group_by)


def bases_summary(scope: Scope) -> dict:
    """Totals of the year: recognised bases (national ones apart), new recognitions, revocations."""
    standing = (
        standing_bases(scope)
        .order_by()
        .aggregate(total=Count("id"), national=Count("id", filter=Q(level=Level.NATIONAL)))
    )
    in_scope = Base.objects.filter(scope.base_q())
    new = in_scope.filter(recognised_on__year=scope.year).count()
    revoked = in_scope.filter(pk__in=_revoked_in(Q(published_at__year=scope.year))).count()
    return {"recognised": standing["total"], "national": standing["national"], "new": new, "revoked": revoked}


def _application_scope_q(scope: Scope) -> Q:
    q = Q()
    if scope.authority_ids is not None:
        q &= Q(batch__approving_authority_id__in=scope.authority_ids)
    if scope.institution_ids is not None:
        q &= Q(institution_id__in=scope.institution_ids)
    if scope.prefecture:
        q &= Q(region_id=scope.prefecture) | Q(region__parent_id=scope.prefecture)
    if scope.base_ids is not None:
        q &= Q(base__pk__in=scope.base_ids)
    return q


PASSED = (Application.State.RECOGNISED,)
FAILED = (Application.State.DECLINED, Application.State.REJECTED)


def applications_by_batch(scope: Scope) -> dict:
    """Applications of the batches opened in the year, per batch and stage (drafts are the applicants' own and
    not counted), the pass rate of the decided ones and the median days from submission to first decision."""
    apps = Application.objects.filter(_application_scope_q(scope), batch__opens_at__year=scope.year).exclude(
        state=Application.State.DRAFT
    )
    counts = apps.order_by().values_list("batch_id", "state").annotate(n=Count("id"))
    per_batch: dict = {}
    for batch_id, state, n in counts:
        per_batch.setdefault(batch_id, Counter())[state] = n
    batches = dict(Batch.objects.filter(pk__in=per_batch).values_list("pk", "title"))
    states = [(v, str(label)) for v, label in Application.State.choices if v != Application.State.DRAFT]
    rows = []
    for batch_id, c in sorted(per_batch.items()):
        decided = sum(c[s] for s in (*PASSED, *FAILED))
        rows.append(
            {
                "key": str(batch_id),
                "label": batches.get(batch_id, ""),
                "count": sum(c.values()),
                "stages": {s: c.get(s, 0) for s, _label in states},
                "stage_counts": [c.get(s, 0) for s, _label in states],
                "passed": sum(c[s] for s in PASSED),
                "decided": decided,
                "pass_rate": _rate(sum(c[s] for s in PASSED), decided),
            }
        )
    first_decisions = (
        Decision.objects.filter(application__in=apps, application__submitted_at__isnull=False)
        .values("application_id")
        .annotate(decided=Min("decided_at"), submitted=Min("application__submitted_at"))
    )
    days = [(d["decided"] - d["submitted"]).days for d in first_decisions]
    total_passed = sum(r["passed"] for r in rows)
    total_decided = sum(r["decided"] for r in rows)
    return {
        "rows": rows,
        "stages": states,
        "pass_rate": _rate(total_passed, total_decided),
        "median_days": statistics.median(days) if days else None,
    }


def _rate(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


REPORTED = (PlanState.SUBMITTED, PlanState.FILED)


def _expected_bases(scope: Scope):
    """Bases that must file a plan for the year: those not revoked, as on the filing dashboard of plans."""
    return Base.objects.not_revoked().filter(scope.base_q())


def _year_plans(scope: Scope):
    return AnnualPlan.objects.filter(
        scope.base_q("base__"), year=scope.year, kind=AnnualPlan.Kind.PLAN
    ).exclude(base__status=Base.Status.REVOKED)


_PLAN_COUNTS = {
    "filed": Count("id", filter=Q(state=PlanState.FILED)),
    "submitted": Count("id", filter=Q(state=PlanState.SUBMITTED)),
    "late": Count("id", filter=Q(is_late=True)),
}


def _plan_row(key, label, expected: int, plans: dict) -> dict:
    filed, submitted = plans.get("filed", 0), plans.get("submitted", 0)
    return {
        "key": str(key),
        "label": label,
        "count": expected,
        "filed": filed,
        "submitted": submitted,
        "late": plans.get("late", 0),
        "missing": expected - filed - submitted,
        "rate": _rate(filed, expected),
    }


def plans_by(scope: Scope, group_by: str) -> list[dict]:
    """Filing of the year's plans (R-22) per authority or prefecture: bases expected to file, filed, submitted
    and awaiting filing, late, missing (not reported to the authority), and the filing rate in percent. Two
    grouped queries (bases, plans) rather than a plan subquery per base: 5,000 bases stay a few milliseconds."""
    field = {"authority": "approving_authority_id", "prefecture": "prefecture_id"}[group_by]
    expected = dict(_expected_bases(scope).order_by().values_list(field).annotate(n=Count("id")))
    plans = {
        r[f"base__{field}"]: r
        for r in _year_plans(scope).order_by().values(f"base__{field}").annotate(**_PLAN_COUNTS)
    }
    if group_by == "prefecture":
        keys = [(r.code, r.name) for r in _prefectures()]
    else:
        names = _authority_labels(expected)
        keys = sorted(((pk, names.get(pk, "")) for pk in expected), key=lambda kv: kv[1])
    return [_plan_row(key, label, expected.get(key, 0), plans.get(key, {})) for key, label in keys]


def plans_summary(scope: Scope) -> dict:
    row = _plan_row(
        "", "", _expected_bases(scope).count(), _year_plans(scope).order_by().aggregate(**_PLAN_COUNTS)
    )
    return {k: row[k] for k in ("count", "filed", "submitted", "late", "missing", "rate")} | {
        "expected": row["count"]
    }


def plans_missing(scope: Scope, limit: int | None = 200):
    """Bases that have not reported their plan of the year to the authority, by authority and name, each with
    the state of its plan if it has one (`plan_state`)."""
    reported = _year_plans(scope).filter(state__in=REPORTED).values("base_id")
    plan_state = Subquery(
        AnnualPlan.objects.filter(base=OuterRef("pk"), year=scope.year, kind=AnnualPlan.Kind.PLAN).values(
            "state"
        )[:1]
    )
    return (
        _expected_bases(scope)
        .exclude(pk__in=reported)
        .annotate(plan_state=plan_state)
        .select_related("approving_authority", "prefecture")
        .order_by("approving_authority__name", "name")[:limit]
    )


def _inspections(scope: Scope):
    return Inspection.objects.filter(scope.base_q("base__"), round__year=scope.year)


def supervision_by(scope: Scope, group_by: str) -> list[dict]:
    """Supervision of the year (R-25..R-28): inspections by kind, confirmed results, the nine items of Art. 22
    (inspections scored and the average score), assessment ratings, rectifications by state."""
    if group_by == "kind":
        counts = dict(_inspections(scope).order_by().values_list("round__kind").annotate(n=Count("id")))
        return [
            {"key": v, "label": str(lb), "count": counts.get(v, 0)} for v, lb in InspectionRound.Kind.choices
        ]
    if group_by == "result":
        confirmed = _inspections(scope).filter(state=Inspection.State.CONFIRMED)
        counts = dict(confirmed.order_by().values_list("result").annotate(n=Count("id")))
        return [{"key": v, "label": str(lb), "count": counts.get(v, 0)} for v, lb in Result.choices]
    if group_by == "item":
        scores = ItemScore.objects.filter(inspection__in=_inspections(scope)).order_by()
        found = {r["item"]: r for r in scores.values("item").annotate(n=Count("id"), avg=Avg("score"))}
        return [
            {
                "key": key,
                "label": str(label),
                "count": found.get(key, {}).get("n", 0),
                "average": _round(found.get(key, {}).get("avg")),
            }
            for key, label in ITEMS
        ]
    if group_by == "rating":
        rated = Assessment.objects.filter(scope.base_q("base__"), year=scope.year).exclude(
            state=Assessment.State.PROPOSED
        )
        counts = dict(rated.order_by().values_list("rating").annotate(n=Count("id")))
        return [{"key": v, "label": str(lb), "count": counts.get(v, 0)} for v, lb in Rating.choices]
    if group_by == "rectification":
        return _rectification_rows(scope)
    raise ValueError(group_by)


def _round(value):
    return round(float(value), 1) if value is not None else None


def _rectification_rows(scope: Scope) -> list[dict]:
    """Rectifications ordered in the year: open (ordered or replied), overdue among them, closed, revocation."""
    S = Rectification.State
    today = timezone.localdate()
    pending = [S.OPEN, S.REPLIED]
    counts = (
        Rectification.objects.filter(scope.base_q("base__"), created_at__year=scope.year)
        .order_by()
        .aggregate(
            open=Count("id", filter=Q(state__in=pending)),
            overdue=Count("id", filter=Q(state__in=pending, deadline__lt=today)),
            closed=Count("id", filter=Q(state=S.CLOSED)),
            revocation_proposed=Count("id", filter=Q(state=S.REVOCATION_PROPOSED)),
            revoked=Count("id", filter=Q(state=S.REVOKED)),
        )
    )
    labels = {
        "open": _("整改中"),
        "overdue": _("其中：逾期未完成"),
        "closed": _("整改完成"),
        "revocation_proposed": _("拟撤销资格"),
        "revoked": _("已撤销资格"),
    }
    return [{"key": k, "label": labels[k], "count": counts[k]} for k in labels]


def supervision_summary(scope: Scope) -> dict:
    inspections = (
        _inspections(scope)
        .order_by()
        .aggregate(
            periodic=Count("id", filter=Q(round__kind=InspectionRound.Kind.PERIODIC)),
            spot_checks=Count("id", filter=Q(round__kind=InspectionRound.Kind.SPOT_CHECK)),
            unqualified=Count("id", filter=Q(state=Inspection.State.CONFIRMED, result=Result.UNQUALIFIED)),
        )
    )
    return {**inspections, "revoked": bases_summary(scope)["revoked"]}


def excellent_bases(scope: Scope):
    """Bases rated excellent in the year's published or confirmed assessment (Art. 23 priorities)."""
    return (
        Base.objects.filter(scope.base_q())
        .filter(
            Exists(
                Assessment.objects.filter(
                    base=OuterRef("pk"), year=scope.year, rating=Rating.EXCELLENT
                ).exclude(state=Assessment.State.PROPOSED)
            )
        )
        .order_by("name")
    )


def public_rows(scope: Scope, section: str, group_by: str) -> list[dict]:
    """The open-data figures of the province (R-02, R-25, R-27): recognised bases by prefecture, level and
    field, and only the published results of inspections and assessments. Counts only, no personal data."""
    if section == "bases" and group_by in ("prefecture", "level", "field"):
        return bases_by(scope, group_by)
    if section == "supervision" and group_by == "result":
        published = _inspections(scope).filter(
            state=Inspection.State.CONFIRMED, round__state=InspectionRound.State.PUBLISHED
        )
        counts = dict(published.order_by().values_list("result").annotate(n=Count("id")))
        return [{"key": v, "label": str(lb), "count": counts.get(v, 0)} for v, lb in Result.choices]
    if section == "supervision" and group_by == "rating":
        published = Assessment.objects.filter(
            scope.base_q("base__"), year=scope.year, state=Assessment.State.PUBLISHED
        )
        counts = dict(published.order_by().values_list("rating").annotate(n=Count("id")))
        return [{"key": v, "label": str(lb), "count": counts.get(v, 0)} for v, lb in Rating.choices]
    raise ValueError(f"{section}.{group_by}")
