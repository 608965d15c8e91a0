"""Statistics of the hours registry (hours.selectors; R-20, R-35): each record counted once however many regions
its class favours, the public-interest hours per preference region the trainees work in, every base covered."""

import datetime
import itertools
from decimal import Decimal

import pytest

from bases.models import Base
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


def bulk_records(klass, people, *, subject, hours, prefix, work_region=None, base=None):
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
                work_region_id=work_region,
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


def test_public_interest_hours_are_reported_per_preference_region_the_trainees_work_in(hw):
    """R-20: the hours that reached each favoured region, by the county each trainee works in."""
    klass = public_interest_class(hw, regions=(ABA, LIANGSHAN))
    bulk_records(klass, bulk_people(3), subject="general", hours="6", prefix="maerkang", work_region="513201")
    bulk_records(klass, bulk_people(1), subject="general", hours="4", prefix="wenchuan", work_region="513221")
    bulk_records(klass, bulk_people(1), subject="general", hours="6", prefix="xichang", work_region="513401")
    # Trainees from a region the class does not favour, or from nowhere known, reach none of its regions.
    bulk_records(klass, bulk_people(2), subject="general", hours="6", prefix="kangding", work_region="513301")
    bulk_records(klass, bulk_people(2), subject="general", hours="6", prefix="jinjiang", work_region="510104")
    bulk_records(klass, bulk_people(2), subject="general", hours="6", prefix="unknown")
    # Nor do trainees from Aba in a class that is not public-interest.
    other = public_interest_class(hw, regions=(ABA,), public_interest=False)
    bulk_records(other, bulk_people(2), subject="general", hours="6", prefix="other", work_region="513201")

    [row] = selectors.base_statistics(base_ids=[hw.b.pk], year=2026)

    assert row["public_interest"] == 3 * 6 + 4 + 6 + 3 * 2 * 6
    assert row["by_region"] == [
        {"region": ABA, "name": "阿坝藏族羌族自治州", "hours": Decimal("22.0")},
        {"region": LIANGSHAN, "name": "凉山彝族自治州", "hours": Decimal("6.0")},
    ]


def test_a_region_named_twice_by_county_and_prefecture_counts_the_record_in_each(hw):
    klass = public_interest_class(hw, regions=(ABA, "513201"))
    bulk_records(klass, bulk_people(2), subject="general", hours="6", prefix="m", work_region="513201")

    [row] = selectors.base_statistics(base_ids=[hw.b.pk], year=2026)

    assert [(r["region"], r["hours"]) for r in row["by_region"]] == [(ABA, 12), ("513201", 12)]
    assert row["public_interest"] == 12 and row["records"] == 2


def bulk_bases(hw, n, authority=None):
    """n more bases of the Chengdu authority (or another), written at once."""
    Base.objects.bulk_create(
        [
            Base(
                name=f"批量基地{i:04d}",
                institution=hw.inst,
                approving_authority=authority or hw.chengdu,
                level="municipal",
                region_id="510107",
                certificate_no=f"批量{(authority or hw.chengdu).pk}-{i:05d}",
                certificate_year=2024,
                recognised_on=datetime.date(2024, 1, 1),
            )
            for i in range(n)
        ]
    )


def test_statistics_of_every_base_covers_more_bases_than_one_query_takes(hw):
    """More than 500 bases (the old page stopped there): each has a row, those without records in zeros."""
    bulk_bases(hw, selectors.STATISTICS_CHUNK + 1)
    bulk_records(hw.klass, bulk_people(2), subject="professional", hours="12", prefix="a")

    rows = list(selectors.statistics_of_every_base(selectors.statistics_bases(hw.cd_reviewer), year=2026))

    assert len(rows) == Base.objects.count() == selectors.STATISTICS_CHUNK + 2
    assert len({r["base_id"] for r in rows}) == len(rows)
    mine = next(r for r in rows if r["base_id"] == hw.b.pk)
    assert (mine["records"], mine["professional"]) == (2, 24)
    assert sum(r["records"] for r in rows) == 2
