"""Referential integrity of the high-volume hours tables, checked in bulk rather than per row on insert."""

from django.db.models import Exists, OuterRef

from accounts.models import Region
from bases.models import Base
from plans.models import TrainingClass

from .models import FeedEntry, Person, TrainingRecord

# name → (referring model, its id column, referred model)
REFERENCES = {
    "record.base": (TrainingRecord, "base_id", Base),
    "record.class": (TrainingRecord, "klass_id", TrainingClass),
    "record.person": (TrainingRecord, "person_id", Person),
    "record.work_region": (TrainingRecord, "work_region_id", Region),
    "person.work_region": (Person, "work_region_id", Region),
    "feed.record": (FeedEntry, "record_id", TrainingRecord),
}


def dangling_references() -> dict[str, int]:
    """How many rows reference a missing row, per reference (all zero when the data is sound)."""
    return {
        # An empty optional reference (a record without a work region) refers to nothing and is not dangling.
        name: model.objects.filter(
            ~Exists(target.objects.filter(pk=OuterRef(column))), **{f"{column}__isnull": False}
        ).count()
        for name, (model, column, target) in REFERENCES.items()
    }
