"""Writes of a batch (hours.ingest.write): new records with an encrypted id, idempotent resend, corrections
with history, and a feed numbered in commit order."""

import pytest
from django.db import transaction

from hours import crypto, services
from hours.models import FeedEntry, RecordRevision, TrainingRecord
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def test_valid_record_is_stored_with_an_encrypted_id_and_a_feed_entry(hw):
    out = ingest(hw, hw.record(1))
    assert out.accepted == ["r1"] and out.refused == [] and out.created == 1
    rec = TrainingRecord.objects.get()
    assert (rec.year, rec.hours, rec.subject, rec.status) == (2026, 12, "professional", "valid")
    person = rec.person
    assert make_id(1) not in person.id_encrypted and crypto.decrypt(person.id_encrypted) == make_id(1)
    assert person.id_masked == make_id(1)[:4] + "*" * 10 + make_id(1)[-4:]
    assert list(FeedEntry.objects.values_list("action", flat=True)) == ["created"]


def test_resending_the_same_record_changes_nothing(hw):
    ingest(hw, hw.record(1))
    before = TrainingRecord.objects.get().updated_at
    out = ingest(hw, hw.record(1))
    assert out.accepted == ["r1"] and out.unchanged == 1 and out.created == 0
    assert TrainingRecord.objects.get().updated_at == before
    assert FeedEntry.objects.count() == 1 and not RecordRevision.objects.exists()


def test_different_content_is_a_correction_kept_in_the_history(hw):
    ingest(hw, hw.record(1))
    out = ingest(hw, hw.record(1, hours="20"))
    assert out.corrected == 1
    rec = TrainingRecord.objects.get()
    assert (rec.hours, rec.version) == (20, 2)
    rev = RecordRevision.objects.get()
    assert rev.previous["hours"] == "12.0" and rev.change == "corrected"
    assert list(FeedEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "created",
        "corrected",
    ]


def test_feed_numbers_are_contiguous_and_in_commit_order(hw):
    ingest(hw, *[hw.record(i) for i in range(1, 6)])
    ingest(hw, hw.record(1, hours="6"))
    seqs = list(FeedEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + 6))
    page, cursor = services.feed_page(after=0, limit=4)
    page2, cursor2 = services.feed_page(after=cursor, limit=4)
    assert [e.seq for e in page + page2] == seqs and cursor2 == seqs[-1]


def test_rolled_back_ingest_leaves_no_feed_entry(hw):
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest(hw, hw.record(1))
        raise RuntimeError
    assert not FeedEntry.objects.exists() and not TrainingRecord.objects.exists()


@pytest.mark.parametrize("ext", ['a"b', "a\\b", "{a,b}", "a b", "NULL", '\\"', "记录,1"])
def test_record_numbers_with_array_syntax_are_found_again(hw, ext):
    """The look-ups send record numbers as one array literal: quotes, backslashes, braces, commas, spaces and
    the word NULL must come back as the same record, so a resend corrects it instead of duplicating it."""
    ingest(hw, hw.record(1, external_id=ext))
    out = ingest(hw, hw.record(1, external_id=ext, hours="20"))
    assert out.accepted == [ext] and out.corrected == 1 and out.created == 0
    assert list(TrainingRecord.objects.values_list("external_id", "hours")) == [(ext, 20)]
