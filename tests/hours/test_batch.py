"""A batch from start to end (hours.ingest.batch and the chunked service around it): duplicates refused,
chunks that survive a killed worker, a fixed number of queries, and concurrent batches that neither fail nor
deadlock."""

import pytest
from django.db import connection

from hours import services
from hours.models import FeedEntry, IngestBatch, RecordRevision, TrainingRecord
from hours.selectors import batch_accepted
from tests.hours.conftest import ingest

pytestmark = pytest.mark.django_db


def test_duplicate_external_id_in_one_batch_is_refused(hw):
    out = ingest(hw, hw.record(1), hw.record(1, hours="6"))
    assert out.accepted == ["r1"] and "重复" in out.refused[0]["reason"]


def test_batch_in_chunks_resumes_after_a_killed_worker(hw, monkeypatch, django_capture_on_commit_callbacks):
    records = [hw.record(i) for i in range(1, 61)]  # three chunks of 20
    with django_capture_on_commit_callbacks(execute=False):
        batch, outcome = services.batch_submit(base=hw.b, records=records, source="api")
    assert outcome is None and batch.chunks.count() == 3
    import hours.services as hs

    real = hs.ingest_records
    calls = {"n": 0}

    def dying(**kwargs):
        calls["n"] += 1
        result = real(**kwargs)
        if calls["n"] == 2:
            raise SystemExit("worker killed in the middle of the second chunk")
        return result

    monkeypatch.setattr(hs, "ingest_records", dying)
    with pytest.raises(SystemExit):
        services.batch_process(batch_id=batch.pk)
    # The first chunk is in, the second was rolled back whole: no partial chunk.
    assert TrainingRecord.objects.count() == 20
    assert list(batch.chunks.values_list("applied", flat=True)) == [True, False, False]
    monkeypatch.setattr(hs, "ingest_records", real)
    done = services.batch_process(batch_id=batch.pk)
    assert done.state == IngestBatch.State.DONE and done.processed == 60
    assert TrainingRecord.objects.count() == 60 and done.accepted_count == 60
    assert sorted(batch_accepted(done)) == sorted(r["external_id"] for r in records)
    assert FeedEntry.objects.count() == 60


def test_duplicates_far_apart_in_one_batch_are_refused_not_taken_as_corrections(
    hw, django_capture_on_commit_callbacks
):
    records = [hw.record(i) for i in range(1, 60)] + [
        hw.record(1, hours="6")
    ]  # chunks of 20: the copy lands in the third
    with django_capture_on_commit_callbacks(execute=True):
        batch, _out = services.batch_submit(base=hw.b, records=records, source="api")
    batch.refresh_from_db()
    assert batch.state == "done" and batch.processed == 60
    assert [r["external_id"] for r in batch.refused] == ["r1"] and "重复" in batch.refused[0]["reason"]
    assert TrainingRecord.objects.get(external_id="r1").hours == 12 and not RecordRevision.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's bulk inserts split by its variable limit"
)
def test_ingest_query_count_does_not_grow_with_the_batch(hw, django_assert_max_num_queries):
    """Provincial volume: a batch costs a fixed number of queries, whatever its size."""
    few = [hw.record(i, hours="0.5") for i in range(1, 4)]
    many = [hw.record(i, hours="0.5") for i in range(100, 400)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert ingest(hw, *few).created == 3
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert ingest(hw, *many).created == 300


def _threads(*targets):
    import threading

    errors = []

    def run(target):
        from django.db import connection as conn

        try:
            target()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL concurrency")
@pytest.mark.django_db(transaction=True)
def test_a_batch_resent_while_the_first_is_still_writing_is_unchanged_not_an_error(monkeypatch):
    """A platform times out and resends while the first request is still writing. The second waits on the
    first's lock of (person, class) — or, had it looked up first, meets the first's rows in the unique index and
    is run again — and then finds the records unchanged."""
    import contextlib
    import threading

    from hours.ingest import write
    from tests.hours.conftest import HoursWorld

    hw = HoursWorld()
    # The people exist already (else the second request would wait on the first's new people, not its records).
    ingest(hw, *[hw.record(n, external_id=f"earlier{n}", hours="1") for n in range(1, 6)])
    records = [hw.record(n) for n in range(1, 6)]
    both_looked_up = threading.Barrier(2, timeout=2)
    original = write._insert_records

    def insert_after_both_looked_up(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):  # a retry would have nobody to wait for
            both_looked_up.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(write, "_insert_records", insert_after_both_looked_up)
    outcomes = []
    errors = _threads(*[lambda: outcomes.append(ingest(hw, *records))] * 2)
    assert not errors
    assert sorted((o.created, o.unchanged) for o in outcomes) == [(0, 5), (5, 0)]
    assert all(sorted(o.accepted) == sorted(r["external_id"] for r in records) for o in outcomes)
    assert TrainingRecord.objects.count() == 10 and FeedEntry.objects.count() == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL concurrency")
@pytest.mark.django_db(transaction=True)
def test_concurrent_corrections_in_opposite_orders_do_not_deadlock():
    from tests.hours.conftest import HoursWorld

    hw = HoursWorld()
    ingest(hw, *[hw.record(n, hours="1") for n in range(1, 301)])
    forward = [hw.record(n, hours="2") for n in range(1, 301)]
    backward = [hw.record(n, hours="3") for n in range(300, 0, -1)]
    outcomes = []
    errors = _threads(
        lambda: outcomes.append(ingest(hw, *forward)), lambda: outcomes.append(ingest(hw, *backward))
    )
    assert not errors
    assert [o.corrected for o in outcomes] == [300, 300]
    assert set(TrainingRecord.objects.values_list("version", flat=True)) == {3}
    assert RecordRevision.objects.count() == 600


def test_each_chunk_keeps_its_outcome_and_the_batch_its_counts(
    hw, client, django_capture_on_commit_callbacks
):
    """Refusals in the first and the third chunk: the counts, the API's batch status and the refused rows are
    the whole batch's, and every payload is emptied at the end."""
    from hours.models import IngestChunk
    from hours.selectors import batch_refused

    records = [hw.record(i, hours="1") for i in range(1, 61)]  # chunks of 20
    records[4]["hours"] = "-1"
    records[44]["completed_on"] = "2026-13-01"
    with django_capture_on_commit_callbacks(execute=True):
        batch, _out = services.batch_submit(base=hw.b, records=records, source="api")
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.accepted_count, batch.refused_count) == ("done", 60, 58, 2)
    chunks = list(IngestChunk.objects.filter(batch=batch).order_by("index"))
    assert [len(c.refused) for c in chunks] == [1, 0, 1] and all(c.payload == [] for c in chunks)
    assert [r["external_id"] for r in batch_refused(batch)] == ["r5", "r45"]
    response = client.get(
        f"/api/v1/hours/batches/{batch.pk}/", headers={"authorization": f"Api-Key {hw.secret}"}
    )
    body = response.json()
    assert len(body["accepted"]) == 58 and [r["external_id"] for r in body["refused"]] == ["r5", "r45"]
