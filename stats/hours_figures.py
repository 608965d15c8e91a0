"""Figures of the hours registry for a Scope and its year (R-20, R-32, R-35).

Persons are counted once per group; a person is compliant (R-35: at least HOURS_MIN_TOTAL hours, of which at
least HOURS_MIN_PROFESSIONAL_SHARE professional) on their whole year across the province, since filed hours are
valid across the province (R-32), whichever base of the scope trained them. Public-interest hours serving the
preference regions (R-20) count each record once per kind of region its class's plan item names, through an
EXISTS per kind: a join through the item's regions would repeat a record once per region.

At province scale these aggregates read millions of rows: `stats.snapshots` stores them once a day, and
`hours_by` reads the stored rows where the scope has them.
"""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat, ExtractMonth, Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from accounts.models import Region
from bases.models import Base
from hours.models import SubjectKind, TrainingRecord
from plans.models import PlanItem

from .scope import Scope

HOURS_GROUPS = ("prefecture", "base", "subject", "month", "region_kind")
ItemRegion = PlanItem.preference_regions.through

# R-20 (Art. 15): the kinds of preference region, each a flag of accounts.Region.
REGION_KINDS = [
    ("old_revolutionary", "is_old_revolutionary_area"),
    ("ethnic", "is_ethnic_area"),
    ("remote", "is_remote_area"),
    ("less_developed", "is_less_developed_area"),
]
METRICS = ("persons", "hours", "general_hours", "professional_hours", "compliant_persons")


def region_kind_label(kind: str) -> str:
    return {
        "old_revolutionary": _("革命老区"),
        "ethnic": _("民族地区"),
        "remote": _("边远地区"),
        "less_developed": _("欠发达地区"),
        "any": _("任一倾斜地区（去重）"),
    }[kind]


def year_records(year: int):
    return TrainingRecord.objects.filter(year=year, status=TrainingRecord.Status.VALID)


def scope_records(scope: Scope):
    """Valid records of the year at the scope's bases."""
    qs = year_records(scope.year)
    if not scope.is_province:
        qs = qs.filter(base_id__in=Base.objects.filter(scope.base_q()).values("pk"))
    return qs


def compliant_person_ids(year: int):
    """Persons whose year is compliant with R-35, counted on every valid record of the province."""
    share = Fraction(settings.HOURS_MIN_PROFESSIONAL_SHARE)
    return (
        year_records(year)
        .order_by()
        .values("person_id")
        .annotate(
            total=Sum("hours"),
            professional=Coalesce(Sum("hours", filter=Q(subject=SubjectKind.PROFESSIONAL)), Decimal("0")),
        )
        .filter(
            GreaterThanOrEqual(F("total"), settings.HOURS_MIN_TOTAL),
            # Exact: professional × denominator ≥ total × numerator, no rounding of 2/3.
            GreaterThanOrEqual(F("professional") * share.denominator, F("total") * share.numerator),
        )
        .values("person_id")
    )


def _metrics(year: int, extra: Q | None = None) -> dict:
    def also(q: Q) -> Q:
        return extra & q if extra is not None else q

    # Aliased "m_…": an aggregate may not share the name of the `hours` column it sums.
    return {
        "m_records": Count("id", filter=extra),
        "m_persons": Count("person_id", distinct=True, filter=extra),
        "m_hours": Sum("hours", filter=extra),
        "m_general_hours": Sum("hours", filter=also(Q(subject=SubjectKind.GENERAL))),
        "m_professional_hours": Sum("hours", filter=also(Q(subject=SubjectKind.PROFESSIONAL))),
        "m_compliant_persons": Count(
            "person_id", distinct=True, filter=also(Q(person_id__in=compliant_person_ids(year)))
        ),
    }


def _row(key, label, found: dict | None) -> dict:
    found = found or {}
    row = {"key": str(key), "label": str(label), "count": found.get("m_records") or 0}
    for metric in METRICS:
        value = found.get(f"m_{metric}") or 0
        row[metric] = float(value) if isinstance(value, Decimal) else value
    return row


def hours_summary_live(scope: Scope) -> dict:
    totals = scope_records(scope).order_by().aggregate(**_metrics(scope.year))
    row = _row("total", _("合计"), totals)
    row["compliance_rate"] = (
        round(100 * row["compliant_persons"] / row["persons"], 1) if row["persons"] else None
    )
    return row


def hours_by_live(scope: Scope, group_by: str) -> list[dict]:
    """Rows of persons, records (`count`), hours by subject kind and compliant persons per group."""
    records = scope_records(scope).order_by()
    if group_by == "region_kind":
        return _by_region_kind(scope, records)
    if group_by == "prefecture":
        # The trainee's work region is a county (or a prefecture): its prefecture is the first four digits.
        prefecture = Concat(Substr("work_region_id", 1, 4), Value("00"), output_field=CharField())
        found = {
            r["k"]: r for r in records.annotate(k=prefecture).values("k").annotate(**_metrics(scope.year))
        }
        rows = [
            _row(r.code, r.name, found.get(r.code))
            for r in Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code")
        ]
        unknown = [v for k, v in found.items() if not k or k == "00" or k not in {r["key"] for r in rows}]
        if unknown:
            rows.append(_row("", _("未注明"), _sum_rows(unknown)))
        return rows
    if group_by == "base":
        found = list(
            records.values("base_id").annotate(**_metrics(scope.year)).order_by("-m_hours", "base_id")
        )
        names = dict(Base.objects.filter(pk__in=[r["base_id"] for r in found]).values_list("pk", "name"))
        return [_row(r["base_id"], names.get(r["base_id"], ""), r) for r in found]
    if group_by == "subject":
        found = {r["subject"]: r for r in records.values("subject").annotate(**_metrics(scope.year))}
        return [_row(v, label, found.get(v)) for v, label in SubjectKind.choices]
    if group_by == "month":
        found = {
            r["m"]: r
            for r in records.annotate(m=ExtractMonth("completed_on"))
            .values("m")
            .annotate(**_metrics(scope.year))
        }
        return [_row(m, _("%(m)d月") % {"m": m}, found.get(m)) for m in range(1, 13)]
    raise ValueError(group_by)


def _sum_rows(rows: list[dict]) -> dict:
    # Only for the rare records without a known work region: their persons may overlap, so this is an upper bound.
    out: dict = {}
    for r in rows:
        for k in ("m_records", *(f"m_{m}" for m in METRICS)):
            out[k] = (out.get(k) or 0) + (r.get(k) or 0)
    return out


def _serves(flag: str):
    """True for a record in a public-interest class whose plan item names a region with `flag`."""
    return Q(klass__plan_item__public_interest=True) & Q(
        Exists(
            ItemRegion.objects.filter(
                planitem_id=OuterRef("klass__plan_item_id"), **{f"region__{flag}": True}
            )
        )
    )


def _by_region_kind(scope: Scope, records) -> list[dict]:
    aggregates = {}
    kinds = [*REGION_KINDS, ("any", None)]
    for kind, flag in kinds:
        q = (
            _serves(flag)
            if flag
            else Q(klass__plan_item__public_interest=True)
            & Q(Exists(ItemRegion.objects.filter(planitem_id=OuterRef("klass__plan_item_id"))))
        )
        for name, agg in _metrics(scope.year, q).items():
            aggregates[f"{kind}__{name}"] = agg
    totals = records.aggregate(**aggregates)
    return [
        _row(
            kind, region_kind_label(kind), {name: totals[f"{kind}__{name}"] for name in _metrics(scope.year)}
        )
        for kind, _flag in kinds
    ]
