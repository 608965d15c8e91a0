"""The year's summary (hours.services, R-35)."""

import pytest

from hours import services
from hours.models import Person
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("general", "professional", "compliant"),
    [
        ("30", "60", True),
        ("31", "60", False),
        ("29.5", "60", False),
        ("0", "89.5", False),
        ("0", "90", True),
        ("30.5", "61", True),
    ],
)
def test_r35_ninety_hours_and_two_thirds_professional(hw, general, professional, compliant):
    """R-35: total >= 90 and professional >= two thirds of the total, checked exactly."""
    from decimal import Decimal

    from plans.models import TrainingClass

    TrainingClass.objects.filter(pk=hw.klass.pk).update(hours_per_trainee=200)
    records = [hw.record(1, subject="professional", hours=professional)]
    if Decimal(general):
        records.append(hw.record(2, external_id="g", id_number=make_id(1), subject="general", hours=general))
    ingest(hw, *records)
    s = services.person_year_summary(Person.objects.get().pk, 2026)
    assert s["compliant"] is compliant
