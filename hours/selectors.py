"""Reads of the hours registry: statistics per base and year (R-20, R-35), for a base's staff and for the
authorities."""

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for, restrict
from bases.models import Base
from kit.errors import NotVisible
from plans.models import PlanItem

from .models import ApiKey, TrainingRecord

STATISTICS_CHUNK = 500  # bases per statistics query: keeps the IN list of base ids short

ItemRegion = PlanItem.preference_regions.through


def statistics_bases(user):
    """Return the bases whose statistics the user reads: those their authority approved (the province: all),
    revoked ones included, since their records still count for the year; by name."""
    return restrict(Base.objects.all(), user, authority_field="approving_authority_id").order_by("name", "pk")


def _favours_preference_regions():
    """True for a record whose class's plan item names a preference region. A subquery, not a join through the
    item's regions: that join repeats each record once per region (measured: one class with three regions made
    a base's 3,600 records count as 6,000, its hours likewise)."""
    return Exists(ItemRegion.objects.filter(planitem_id=OuterRef("klass__plan_item_id")))


def base_statistics(*, base_ids, year) -> list[dict]:
    """Return, for each of these bases with valid records in the year (by name): persons, records, hours by
    subject kind, the public-interest hours of classes that favour preference regions, and per preference region
    the public-interest hours of the trainees working there (R-20)."""
    rows = list(
        TrainingRecord.objects.filter(base_id__in=base_ids, year=year, status=TrainingRecord.Status.VALID)
        .values("base_id", "base__name", "base__status")
        .annotate(
            persons=Count("person_id", distinct=True),
            records=Count("id"),
            general=Sum("hours", filter=Q(subject="general")),
            professional=Sum("hours", filter=Q(subject="professional")),
            public_interest=Sum(
                "hours",
                filter=Q(klass__plan_item__public_interest=True) & Q(_favours_preference_regions()),
            ),
        )
        .order_by("base__name", "base_id")
    )
    served = public_interest_by_region(base_ids=[r["base_id"] for r in rows], year=year)
    return [
        {
            **r,
            "base_status_display": Base.Status(r["base__status"]).label,
            "general": r["general"] or 0,
            "professional": r["professional"] or 0,
            "public_interest": r["public_interest"] or 0,
            "by_region": served.get(r["base_id"], []),
        }
        for r in rows
    ]


def public_interest_by_region(*, base_ids, year) -> dict[int, list[dict]]:
    """Return base id → the preference regions its public-interest classes reached, each with the hours of the
    trainees whose work region lies in it (the county itself or its prefecture). A record counts once in each
    region it reached: here the join through the item's regions is what is counted."""
    if not base_ids:
        return {}
    region = "klass__plan_item__preference_regions"
    rows = (
        TrainingRecord.objects.filter(
            base_id__in=base_ids,
            year=year,
            status=TrainingRecord.Status.VALID,
            klass__plan_item__public_interest=True,
            work_region__isnull=False,
        )
        # One filter() call: both conditions are on the same join, the one values() groups by.
        .filter(Q(**{region: F("work_region_id")}) | Q(**{region: F("work_region__parent_id")}))
        .values("base_id", region, f"{region}__name")
        .annotate(hours=Sum("hours"))
        .order_by("base_id", region)
    )
    served: dict[int, list[dict]] = {}
    for r in rows:
        served.setdefault(r["base_id"], []).append(
            {"region": r[region], "name": r[f"{region}__name"], "hours": r["hours"]}
        )
    return served


def statistics_rows(bases, *, year) -> list[dict]:
    """Return a statistics row for each of these bases, in their order: a base without records in the year has
    a row of zeros, so that a page or an export shows every base."""
    bases = list(bases)
    found = {r["base_id"]: r for r in base_statistics(base_ids=[b.pk for b in bases], year=year)}
    return [found.get(b.pk) or _empty_row(b) for b in bases]


def _empty_row(base) -> dict:
    return {
        "base_id": base.pk,
        "base__name": base.name,
        "base__status": base.status,
        "base_status_display": base.get_status_display(),
        "persons": 0,
        "records": 0,
        "general": 0,
        "professional": 0,
        "public_interest": 0,
        "by_region": [],
    }


def statistics_of_every_base(bases, *, year):
    """Yield the statistics row of every base of the queryset, a chunk of bases per query, so that an export
    covers every base whatever their number."""
    listed = list(bases.only("pk", "name", "status"))
    for start in range(0, len(listed), STATISTICS_CHUNK):
        yield from statistics_rows(listed[start : start + STATISTICS_CHUNK], year=year)


def batch_refused(batch) -> list:
    """Every refusal of a queued batch, in row order where rows are known: those found before its chunks were
    applied (repeated external_ids), then each chunk's."""
    refused = list(batch.refused)
    for chunk_refused in batch.chunks.order_by("index").values_list("refused", flat=True).iterator():
        refused.extend(chunk_refused)
    return refused


def batch_refused_head(batch, limit: int = 200) -> list:
    """The first `limit` refusals of a batch, in the order of `batch_refused`, reading no more chunks than needed
    (the batch page lists them; the download has them all)."""
    refused = list(batch.refused[:limit])
    chunks = batch.chunks.order_by("index").values_list("refused", flat=True)
    for chunk_refused in chunks.iterator():
        if len(refused) >= limit:
            break
        refused.extend(chunk_refused[: limit - len(refused)])
    return refused


def batch_accepted(batch) -> list:
    """The external_ids a queued batch accepted, chunk by chunk."""
    accepted = []
    for chunk_accepted in batch.chunks.order_by("index").values_list("accepted", flat=True).iterator():
        accepted.extend(chunk_accepted)
    return accepted


def api_keys_for_security_admin(user):
    """Every API key, newest first, for the security administrator (三权分立: keys are that duty's); anyone else
    is told the page does not exist."""
    if not actor_for(user).is_security_admin:
        raise NotVisible(_("未找到该页面。"))
    return ApiKey.objects.select_related("base", "created_by").order_by("revoked_at", "-created_at", "-id")
