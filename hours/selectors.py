"""Reads of the hours registry: statistics per base and year (R-20, R-35)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from plans.models import PlanItem

from .models import TrainingRecord

ItemRegion = PlanItem.preference_regions.through


def _favours_preference_regions():
    """True for a record whose class's plan item names a preference region. A subquery, not a join through the
    item's regions: that join repeats each record once per region (measured: one class with three regions made
    a base's 3,600 records count as 6,000, its hours likewise)."""
    return Exists(ItemRegion.objects.filter(planitem_id=OuterRef("klass__plan_item_id")))


def base_statistics(*, base_ids, year) -> list[dict]:
    """Return, for each of these bases with valid records in the year (by name): persons, records, hours by
    subject kind, and the public-interest hours of classes that favour preference regions (R-20)."""
    rows = (
        TrainingRecord.objects.filter(base_id__in=base_ids, year=year, status=TrainingRecord.Status.VALID)
        .values("base_id", "base__name")
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
    return [
        {
            **r,
            "general": r["general"] or 0,
            "professional": r["professional"] or 0,
            "public_interest": r["public_interest"] or 0,
        }
        for r in rows
    ]
