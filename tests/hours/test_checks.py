"""Rules against the database (hours.ingest.checks, R-23): the class is the base's own under a filed plan of the
record's year, closed years take nothing, and a person gets at most the class's hours."""

import datetime

import pytest

from hours.ingest import records_void
from hours.models import ClosedYear, TrainingRecord
from plans import services as plan_services
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def test_class_of_another_base_is_refused(hw):
    other = hw.base(name="别的基地", institution=hw.other_inst, authority=hw.mianyang, region="510703")
    out = ingest(hw, hw.record(1), base=other)
    assert "不属于本基地" in out.refused[0]["reason"]


def test_class_not_under_a_filed_plan_is_refused(hw):
    """R-23: hours from a class whose plan is not filed (here: returned for an amendment) are refused."""
    from plans.models import AnnualPlan

    AnnualPlan.objects.filter(pk=hw.filed_plan.pk).update(state="returned")
    out = ingest(hw, hw.record(1))
    assert "已备案" in out.refused[0]["reason"]


def test_closed_year_refuses_corrections_and_new_records(hw):
    ingest(hw, hw.record(1))
    ClosedYear.objects.create(year=2026, closed_by=hw.admin)
    out = ingest(hw, hw.record(1, hours="20"), hw.record(2))
    assert {r["external_id"] for r in out.refused} == {"r1", "r2"} and all(
        "已关闭" in r["reason"] for r in out.refused
    )
    assert TrainingRecord.objects.get().hours == 12
    assert records_void(base=hw.b, external_ids=["r1"], reason="错报", source="api").refused


def test_class_under_a_later_plan_year_is_refused_for_the_records_year(hw):
    plan = hw.to_state("filed", year=2027)
    klass = plan_services.class_create(
        actor=hw.operator,
        plan_item=plan.items.get(),
        data={
            "title": "明年班",
            "starts_on": datetime.date(2027, 3, 1),
            "ends_on": datetime.date(2027, 3, 5),
            "place": "x",
            "online_platform": "",
            "capacity": 10,
            "fee": "0",
            "hours_per_trainee": "24",
            "subject_kind": "general",
            "teachers": "t",
        },
    )
    out = ingest(hw, hw.record(1, class_id=klass.pk, completed_on="2026-03-15"))
    assert out.refused


def test_a_person_gets_at_most_the_class_hours_in_total(hw):
    """Splitting hours over several rows cannot credit more than the class's hours per trainee."""
    out = ingest(
        hw,
        hw.record(1, hours="20"),
        hw.record(2, external_id="b", id_number=make_id(1), hours="4"),
        hw.record(3, external_id="c", id_number=make_id(1), hours="1"),
    )
    assert out.accepted == ["r1", "b"] and "合计将超过" in out.refused[0]["reason"]
    # Correcting a row counts its new value, not the old one plus the new.
    assert ingest(hw, hw.record(1, hours="19.5")).corrected == 1
    assert ingest(hw, hw.record(3, external_id="c", id_number=make_id(1), hours="0.5")).accepted == ["c"]
