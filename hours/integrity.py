"""Referential integrity of the high-volume hours tables, checked in bulk rather than per row on insert."""

from django.db.models import Exists, OuterRef

from bases.models import Base
from plans.models import TrainingClass

from .models import FeedEntry, Person, TrainingRecord


def dangling_references() -> dict[str, int]:
    """How many rows reference a missing row, per reference (all zero when the data is sound)."""
    return {
        "record.base": TrainingRecord.objects.filter(
            ~Exists(Base.objects.filter(pk=OuterRef("base_id")))
        ).count(),
        "record.class": TrainingRecord.objects.filter(
            ~Exists(TrainingClass.objects.filter(pk=OuterRef("klass_id")))
        ).count(),
        "record.person": TrainingRecord.objects.filter(
            ~Exists(Person.objects.filter(pk=OuterRef("person_id")))
        ).count(),
        "feed.record": FeedEntry.objects.filter(
            ~Exists(TrainingRecord.objects.filter(pk=OuterRef("record_id")))
        ).count(),
    }
