"""Figures of the hours registry for a Scope and its year (R-20, R-32, R-35).

Persons are counted once per group; a person is compliant (R-35: at least HOURS_MIN_TOTAL hours, of which at
least HOURS_MIN_PROFESSIONAL_SHARE professional) on their whole year across the province, since filed hours are
valid across the province (R-32), whichever base of the scope trained them. Public-interest hours serving the
preference regions (R-20) count each record once per kind of region its class's plan item names, through an
IN (classes) per kind: a join through the item's regions would repeat a record once per region.

At province scale these aggregates read millions of rows: `stats.snapshots` stores them once a day, and
`hours_by` reads the stored rows where the scope has them.
"""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import CharField, Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat, ExtractMonth, Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from accounts.models import Region
from bases.models import Base
from hours.models import SubjectKind, TrainingRecord
from plans.models import TrainingClass

from .scope import Scope

HOURS_GROUPS = ("prefecture", "base", "subject", "month", "region_kind")

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


def label_of(group_by: str, key: str, stored: str) -> str:
    """The label of a row in the current language: stored rows keep the language of the night they were
    computed in, so the labels that are words are made again from their keys (names stay as stored)."""
    if key == "" and group_by in ("prefecture", "base"):
        return _("未注明")
    if group_by == "subject" and key in SubjectKind.values:
        return str(SubjectKind(key).label)
    if group_by == "month" and key.isdigit():
        return _("%(m)d月") % {"m": int(key)}
    if group_by == "region_kind":
        return region_kind_label(key)
    if group_by == "summary":
        return _("合计")
    return stored


def year_records(year: int):
    return TrainingRecord.objects.filter(year=year, status=TrainingRecord.Status.VALID)


def scope_records(scope: Scope):
    """Valid records of the year at the scope's bases."""
    qs = year_records(scope.year)
    if not scope.is_province:
        qs = qs.filter(base_id__in=Base.objects.filter(scope.base_q()).values("pk"))
    return qs


def compliant_person_ids(year: int, among=None):
    """Persons whose year is compliant with R-35, counted on every valid record of the province; `among` (a
    queryset of person ids) limits the persons looked at, so that a scope's figure sums only its trainees' years
    (index-only reads of (person, year)) instead of the whole province's."""
    share = Fraction(settings.HOURS_MIN_PROFESSIONAL_SHARE)
    records = year_records(year)
    if among is not None:
        records = records.filter(person_id__in=among)
    return (
        records.order_by()
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


def _metrics(year: int, extra: Q | None = None, among=None) -> dict:
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
            "person_id", distinct=True, filter=also(Q(person_id__in=compliant_person_ids(year, among)))
        ),
    }


def _row(key, label, found: dict | None) -> dict:
    found = found or {}
    row = {"key": str(key), "label": str(label), "count": found.get("m_records") or 0}
    for metric in METRICS:
        value = found.get(f"m_{metric}") or 0
        row[metric] = float(value) if isinstance(value, Decimal) else value
    return row


def _among(scope: Scope):
    """The persons trained in the scope, or None for the province (where every person is looked at anyway)."""
    return None if scope.is_province else scope_records(scope).values("person_id")


def hours_summary_live(scope: Scope) -> dict:
    totals = scope_records(scope).order_by().aggregate(**_metrics(scope.year, among=_among(scope)))
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
            r["k"]: r
            for r in records.annotate(k=prefecture)
            .values("k")
            .annotate(**_metrics(scope.year, among=_among(scope)))
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
            records.values("base_id")
            .annotate(**_metrics(scope.year, among=_among(scope)))
            .order_by("-m_hours", "base_id")
        )
        names = dict(Base.objects.filter(pk__in=[r["base_id"] for r in found]).values_list("pk", "name"))
        return [_row(r["base_id"], names.get(r["base_id"], ""), r) for r in found]
    if group_by == "subject":
        found = {
            r["subject"]: r
            for r in records.values("subject").annotate(**_metrics(scope.year, among=_among(scope)))
        }
        return [_row(v, label, found.get(v)) for v, label in SubjectKind.choices]
    if group_by == "month":
        found = {
            r["m"]: r
            for r in records.annotate(m=ExtractMonth("completed_on"))
            .values("m")
            .annotate(**_metrics(scope.year, among=_among(scope)))
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


def _serving_classes(flag: str | None):
    """Public-interest classes whose plan item names a region with `flag` (any preference region for None).
    Uncorrelated, so that PostgreSQL hashes it once instead of probing the item's regions for every record
    (measured at 1 M records: 30 s for the five kinds with a correlated EXISTS per record)."""
    regions = (
        {f"plan_item__preference_regions__{flag}": True}
        if flag
        else {"plan_item__preference_regions__isnull": False}
    )
    return TrainingClass.objects.filter(plan_item__public_interest=True, **regions).values("pk")


def _by_region_kind(scope: Scope, records) -> list[dict]:
    """One aggregate per kind: in one query, PostgreSQL sorts the rows once per DISTINCT of every kind (measured
    at 1 M records: 28 s in one query against about 2 s a kind)."""
    rows = []
    for kind, flag in [*REGION_KINDS, ("any", None)]:
        # A record counts once per kind whatever the number of regions: IN (classes), never a join.
        served = records.filter(klass_id__in=_serving_classes(flag))
        rows.append(
            _row(kind, region_kind_label(kind), served.aggregate(**_metrics(scope.year, among=_among(scope))))
        )
    return rows
