"""Ingestion (R-23, R-31): refusals with reasons, idempotent resend, corrections with history, closed years,
API keys scoped to one base, batches that survive a killed worker."""

import datetime

import pytest
from django.db import connection, transaction

from hours import crypto, services
from hours.ingest import ingest_records, records_void
from hours.models import ClosedYear, FeedEntry, IngestBatch, Person, RecordRevision, TrainingRecord
from plans import services as plan_services
from tests.hours.conftest import make_id

pytestmark = pytest.mark.django_db


def ingest(hw, *records, base=None):
    return ingest_records(base=base or hw.b, records=list(records), source="api")


def test_valid_record_is_stored_with_an_encrypted_id_and_a_feed_entry(hw):
    out = ingest(hw, hw.record(1))
    assert out.accepted == ["r1"] and out.refused == [] and out.created == 1
    rec = TrainingRecord.objects.get()
    assert (rec.year, rec.hours, rec.subject, rec.status) == (2026, 12, "professional", "valid")
    person = rec.person
    assert make_id(1) not in person.id_encrypted and crypto.decrypt(person.id_encrypted) == make_id(1)
    assert person.id_masked == make_id(1)[:4] + "*" * 10 + make_id(1)[-4:]
    assert list(FeedEntry.objects.values_list("action", flat=True)) == ["created"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id_number": make_id(1)[:-1] + ("0" if make_id(1)[-1] != "0" else "1")}, "身份证号码无效"),
        ({"hours": "0"}, "大于 0"),
        ({"hours": "1.3"}, "0.5"),
        ({"hours": "24.5"}, "超过培训班人均学时"),
        ({"completed_on": "2026-04-01"}, "不在培训班起止日期"),
        ({"class_id": 999999}, "培训班不存在"),
        ({"subject": "other"}, "科目类别"),
        ({"name": ""}, "姓名"),
        ({"completed_on": "2026-13-01"}, "YYYY-MM-DD"),
        ({"completed_on": "2026-W11-1"}, "YYYY-MM-DD"),
        ({"class_id": 3.5}, "培训班编号"),
        ({"class_id": "12abc"}, "培训班编号"),
        ({"hours": "1e999999999"}, "0.5"),  # decimal arithmetic on it would raise, not refuse
        (
            {"hours": "1e-1000030"},
            "0.5",
        ),  # its remainder by 0.5 underflows to 0; it must not pass as 0.0 hours
        ({"name": "张\x00三"}, "姓名"),  # a NUL would break the COPY of the whole batch
        ({"name": "张\ud800"}, "姓名"),  # so would a lone surrogate (valid JSON: "\\ud800")
        ({"name": "张\n三"}, "姓名"),
        ({"name": "张\u202e三"}, "姓名"),  # right-to-left override
        ({"hours": True}, "数字"),
        ({"hours": ["1"]}, "数字"),  # unhashable: must not break the cache of hours values
        ({"hours": {"v": 1}}, "数字"),
        ({"hours": float("nan")}, "数字"),
        ({"name": {"x": 1}}, "姓名"),
        ({"id_number": None}, "身份证号码无效"),
    ],
)
def test_each_refusal_names_the_record_and_the_reason(hw, change, reason):
    out = ingest(hw, hw.record(1, **change), hw.record(2))
    assert out.accepted == ["r2"]
    assert out.refused[0]["external_id"] == "r1" and reason in out.refused[0]["reason"]
    assert make_id(1) not in out.refused[0]["reason"]
    assert TrainingRecord.objects.count() == 1


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


def test_closed_year_refuses_corrections_and_new_records(hw):
    ingest(hw, hw.record(1))
    ClosedYear.objects.create(year=2026, closed_by=hw.admin)
    out = ingest(hw, hw.record(1, hours="20"), hw.record(2))
    assert {r["external_id"] for r in out.refused} == {"r1", "r2"} and all(
        "已关闭" in r["reason"] for r in out.refused
    )
    assert TrainingRecord.objects.get().hours == 12
    assert records_void(base=hw.b, external_ids=["r1"], reason="错报", source="api").refused


def test_duplicate_external_id_in_one_batch_is_refused(hw):
    out = ingest(hw, hw.record(1), hw.record(1, hours="6"))
    assert out.accepted == ["r1"] and "重复" in out.refused[0]["reason"]


def test_void_keeps_history_and_feeds_and_summary_ignores_it(hw):
    ingest(hw, hw.record(1), hw.record(2, external_id="r2", id_number=make_id(1), hours="6"))
    person = Person.objects.get()
    assert services.person_year_summary(person.pk, 2026)["total"] == 18
    out = records_void(base=hw.b, external_ids=["r2"], reason="重复登记", source="api")
    assert out.accepted == ["r2"]
    assert services.person_year_summary(person.pk, 2026)["total"] == 12
    assert FeedEntry.objects.filter(action="voided").count() == 1


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
    assert TrainingRecord.objects.count() == 60 and len(done.accepted) == 60
    assert FeedEntry.objects.count() == 60


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


def test_lookup_hash_is_plain_hmac_sha256_so_stored_hashes_keep_matching(settings):
    import hashlib
    import hmac

    crypto.reset_key_cache()
    expected = hmac.new(settings.HOURS_HASH_KEY.encode(), make_id(3).encode(), hashlib.sha256).hexdigest()
    assert crypto.lookup_hash(make_id(3)) == expected
    assert crypto.lookup_hash(make_id(4)) != expected


def test_id_check_character_agrees_with_stdnum_and_refuses_non_ascii_digits():
    """R-31: the hand-written GB 11643 check (kept fast for provincial volume) agrees with python-stdnum."""
    import random

    from stdnum.cn import ric

    rng = random.Random(5)
    for _ in range(5000):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        assert crypto.check_character(body) == ric.calc_check_digit(body + "0")
    good = make_id(7)
    assert crypto.is_valid(good)
    assert not crypto.is_valid(good.replace("5", "５", 1))  # a full-width digit is a digit to str.isdigit
    assert not crypto.is_valid(good[:10] + "0230" + good[14:])  # 30 February
    assert not crypto.is_valid("99" + good[2:])  # no such province


def test_control_characters_in_external_id_are_refused_and_nothing_is_stored(hw):
    out = ingest(hw, hw.record(1, external_id="a\tb"), hw.record(2))
    assert out.accepted == ["r2"]
    assert out.refused[0]["external_id"] == "a\\tb" and "可见字符" in out.refused[0]["reason"]
    assert list(TrainingRecord.objects.values_list("external_id", flat=True)) == ["r2"]


def test_external_id_with_backslash_is_stored_exactly_and_resend_is_unchanged(hw):
    """COPY's text format escapes backslashes: the stored id must be the sent one, or a resend would duplicate."""
    ext = r"2026\班\01"
    assert ingest(hw, hw.record(1, external_id=ext)).created == 1
    assert TrainingRecord.objects.get().external_id == ext
    out = ingest(hw, hw.record(1, external_id=ext))
    assert out.unchanged == 1 and TrainingRecord.objects.count() == 1


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_person_created_by_a_concurrent_batch_is_read_back_not_duplicated(hw):
    """The COPY fast path meets a person another batch created after the look-up: the savepoint undoes the COPY
    and the ON CONFLICT path creates only the others; both ids come back, and only the new one counts as new."""
    from hours.ingest.persons import _create_persons

    ingest(hw, hw.record(1))
    existing = Person.objects.get()
    records = [
        {"id_hash": crypto.lookup_hash(make_id(n)), "id_number": make_id(n), "name": f"学员{n}"}
        for n in (1, 2)
    ]
    known = {}
    created = _create_persons(records, known)
    assert Person.objects.count() == 2
    assert known[records[0]["id_hash"]] == existing.pk and records[1]["id_hash"] in known
    assert created == {records[1]["id_hash"]}
    assert crypto.decrypt(Person.objects.get(pk=known[records[1]["id_hash"]]).id_encrypted) == make_id(2)


def test_odd_json_values_are_refused_with_a_reason_in_the_requests_language(hw):
    from django.utils import translation

    with translation.override("zh-hans"):
        out = ingest(hw, hw.record(1, external_id=["r1"]), hw.record(2, hours="0.3"))
    assert out.refused[0]["external_id"] is None and "external_id" in out.refused[0]["reason"]
    assert "0.5" in out.refused[1]["reason"] and "学时" in out.refused[1]["reason"]
    with translation.override("en"):
        out = ingest(hw, hw.record(3, hours="0.3"))
    assert out.refused[0]["reason"] == "Training hours must be greater than 0 and in steps of 0.5"
    assert not TrainingRecord.objects.exists()


def test_names_ids_and_numbers_that_are_fine_are_taken_as_sent(hw):
    """A space, an ideographic space or a middle dot may be in a name; an ID without X may come as a JSON number;
    an external_id is trimmed before its length is checked."""
    digits_only = next(n for n in range(2, 50) if not make_id(n).endswith("X"))
    out = ingest(
        hw,
        hw.record(1, name="阿依·木呷"),
        hw.record(digits_only, name="王\u3000芳", id_number=int(make_id(digits_only))),
        hw.record(3, external_id="  " + "x" * 64 + "  "),
    )
    assert out.refused == [] and out.created == 3
    assert TrainingRecord.objects.filter(external_id="x" * 64).exists()
    stored = TrainingRecord.objects.get(external_id=f"r{digits_only}").person
    assert crypto.decrypt(stored.id_encrypted) == make_id(digits_only) and stored.name == "王\u3000芳"
    out = ingest(hw, hw.record(4, external_id="y" * 200))
    assert out.refused[0]["external_id"] == "y" * 64 + "…"


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
    """A platform times out and resends: both requests look the records up before either commits. The second
    meets the first's rows in the unique index, is undone and run again, and then finds them unchanged."""
    import contextlib
    import threading

    from hours.ingest import write
    from tests.hours.conftest import HoursWorld

    hw = HoursWorld()
    # The people exist already (else the second request would wait on the first's new people, not its records).
    ingest(hw, *[hw.record(n, external_id=f"earlier{n}", hours="1") for n in range(1, 6)])
    records = [hw.record(n) for n in range(1, 6)]
    both_looked_up = threading.Barrier(2, timeout=10)
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


def test_a_row_number_sent_by_an_api_client_is_not_echoed(hw):
    out = ingest(hw, hw.record(1, hours="0.3", _row={"x": "y" * 1000}), hw.record(2, hours="0.3", _row=7))
    assert "row" not in out.refused[0] and out.refused[1]["row"] == 7
