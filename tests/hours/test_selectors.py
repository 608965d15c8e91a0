"""Statistics of the hours registry (hours.selectors; R-20, R-35): each record counted once however many regions
its class favours."""

import datetime
import itertools
from decimal import Decimal

import pytest

from hours import selectors
from hours.models import Person, TrainingRecord
from plans.models import PlanItem, TrainingClass

pytestmark = pytest.mark.django_db

ABA, GANZI, LIANGSHAN = "513200", "513300", "513400"
_people = itertools.count()


def public_interest_class(hw, regions=(ABA, GANZI, LIANGSHAN), *, public_interest=True):
    """A class of an item of the filed plan that favours these regions (R-20)."""
    item = PlanItem.objects.create(
        plan=hw.filed_plan,
        service_form="commissioned_class",
        title="公益性研修班",
        field="乡村振兴",
        subject_kind="general",
        mode="in_person",
        planned_classes=1,
        planned_trainees=2000,
        hours_per_trainee=24,
        public_interest=public_interest,
    )
    item.preference_regions.set(regions)
    return TrainingClass.objects.create(
        plan_item=item,
        base=hw.b,
        year=2026,
        title="公益性研修班",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
        capacity=2000,
        hours_per_trainee=24,
        subject_kind="general",
        teachers="李四",
        created_by=hw.operator,
    )


def bulk_people(n):
    """n people, written at once (the statistics read only their ids)."""
    return Person.objects.bulk_create(
        [Person(id_hash=f"h{next(_people)}", id_encrypted="-", id_masked="-", name="学员") for _i in range(n)]
    )


def bulk_records(klass, people, *, subject, hours, prefix, base=None):
    """One record of the class for each person, written at once."""
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                base=base or klass.base,
                klass=klass,
                person=p,
                external_id=f"{prefix}{i}",
                subject=subject,
                hours=Decimal(hours),
                completed_on=datetime.date(2026, 3, 15),
                year=2026,
                source="api",
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )


def test_a_class_with_three_preference_regions_counts_each_record_and_its_hours_once(hw):
    """The case of the issue: 3,600 records of 1,200 people, 1,200 of them in a class that favours three
    regions. The join through the regions made them 6,000 records and tripled the general and public-interest
    hours (21,600 instead of 7,200)."""
    people = bulk_people(1200)
    bulk_records(hw.klass, people, subject="professional", hours="12", prefix="a")
    bulk_records(hw.klass, people, subject="professional", hours="12", prefix="b")
    bulk_records(public_interest_class(hw), people, subject="general", hours="6", prefix="c")

    [row] = selectors.base_statistics(base_ids=[hw.b.pk], year=2026)

    assert (row["persons"], row["records"]) == (1200, 3600)
    assert (row["general"], row["professional"], row["public_interest"]) == (7200, 28800, 7200)


def test_public_interest_hours_count_only_for_classes_that_favour_a_region(hw):
    people = bulk_people(3)
    bulk_records(public_interest_class(hw, regions=()), people, subject="general", hours="6", prefix="none")
    bulk_records(
        public_interest_class(hw, public_interest=False), people, subject="general", hours="6", prefix="not"
    )
    bulk_records(public_interest_class(hw, regions=(ABA,)), people, subject="general", hours="6", prefix="pi")

    [row] = selectors.base_statistics(base_ids=[hw.b.pk], year=2026)

    assert (row["records"], row["general"], row["public_interest"]) == (9, 54, 18)
