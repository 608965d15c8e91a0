"""PostgreSQL's COPY (hours.ingest.pgcopy): text escaped exactly, ids drawn in blocks the sequences step by."""

import pytest
from django.db import connection

from hours.models import TrainingRecord
from tests.hours.conftest import ingest

pytestmark = pytest.mark.django_db


def test_external_id_with_backslash_is_stored_exactly_and_resend_is_unchanged(hw):
    """COPY's text format escapes backslashes: the stored id must be the sent one, or a resend would duplicate."""
    ext = r"2026\班\01"
    assert ingest(hw, hw.record(1, external_id=ext)).created == 1
    assert TrainingRecord.objects.get().external_id == ext
    out = ingest(hw, hw.record(1, external_id=ext))
    assert out.unchanged == 1 and TrainingRecord.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="identity sequences are PostgreSQL's")
def test_id_sequences_step_by_the_block_that_copy_ids_are_drawn_in(hw):
    """One nextval reserves ID_BLOCK ids; that is only safe while every draw from the sequence takes a block."""
    from hours.ingest.pgcopy import ID_BLOCK, _next_ids

    with connection.cursor() as cur:
        cur.execute(
            "SELECT sequencename, increment_by FROM pg_sequences "
            "WHERE sequencename IN ('hours_trainingrecord_id_seq', 'hours_person_id_seq')"
        )
        assert dict(cur.fetchall()) == {
            "hours_trainingrecord_id_seq": ID_BLOCK,
            "hours_person_id_seq": ID_BLOCK,
        }
    first, second = _next_ids("hours_trainingrecord", 3), _next_ids("hours_trainingrecord", ID_BLOCK + 1)
    assert first == [first[0], first[0] + 1, first[0] + 2] and len(set(second)) == ID_BLOCK + 1
    assert not set(first) & set(second)
    ingest(hw, hw.record(1), hw.record(2))
    ids = set(TrainingRecord.objects.values_list("pk", flat=True))
    assert len(ids) == 2 and not ids & (set(first) | set(second))
