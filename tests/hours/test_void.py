"""Voiding (hours.ingest.void): kept in the history and the feed, left out of the year's summary."""

import pytest

from hours import services
from hours.ingest import records_void
from hours.models import FeedEntry, Person
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def test_void_keeps_history_and_feeds_and_summary_ignores_it(hw):
    ingest(hw, hw.record(1), hw.record(2, external_id="r2", id_number=make_id(1), hours="6"))
    person = Person.objects.get()
    assert services.person_year_summary(person.pk, 2026)["total"] == 18
    out = records_void(base=hw.b, external_ids=["r2"], reason="重复登记", source="api")
    assert out.accepted == ["r2"]
    assert services.person_year_summary(person.pk, 2026)["total"] == 12
    assert FeedEntry.objects.filter(action="voided").count() == 1
