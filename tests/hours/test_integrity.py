"""The bulk integrity check (hours.integrity) catches what per-row foreign-key checks would have."""

import pytest

from hours.ingest import records_void
from hours.models import TrainingRecord
from tests.hours.conftest import ingest

pytestmark = pytest.mark.django_db


def test_integrity_check_passes_after_ingest_and_names_a_dangling_reference(hw):
    """Records and feed entries are written without per-row foreign-key checks: the bulk check must catch what
    those checks would have."""
    from django.core.management import CommandError, call_command

    from hours.integrity import dangling_references

    ingest(hw, hw.record(1), hw.record(2))
    records_void(base=hw.b, external_ids=["r2"], reason="错报", source="api")
    assert set(dangling_references().values()) == {0}
    call_command("check_hours_integrity")
    TrainingRecord.objects.filter(external_id="r1").update(person_id=10**9)
    assert dangling_references()["record.person"] == 1
    with pytest.raises(CommandError, match="record.person=1"):
        call_command("check_hours_integrity")
