"""Hours API and pages: API keys scoped to a base, 202 batches, the feed, look-ups, certificates, Excel round
trip, key rotation, and no ID number in any log line or URL."""

import io
import itertools
import logging
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from bases.models import Base
from hours import crypto, payloads, services
from hours.ingest import records_void
from hours.models import (
    ApiKey,
    ApiKeyUse,
    Certificate,
    FeedCounter,
    FeedEntry,
    IngestBatch,
    Person,
    TrainingRecord,
)
from kit.errors import PermissionRefused
from tests.hours.conftest import make_id
from tests.hours.test_selectors import bulk_bases

pytestmark = pytest.mark.django_db


def post_records(client, secret, records):
    return client.post(
        "/api/v1/hours/records/",
        {"records": records},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {secret}",
    )


def test_small_batch_answers_at_once_and_every_use_is_logged(client, hw):
    response = post_records(client, hw.secret, [hw.record(1), hw.record(2, hours="99")])
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == ["r1"] and body["refused"][0]["external_id"] == "r2"
    use = ApiKeyUse.objects.get()
    assert use.records == 2 and use.key == hw.key


def test_large_batch_answers_202_and_reports_progress(client, hw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_records(client, hw.secret, [hw.record(i) for i in range(1, 61)])
    assert response.status_code == 202
    status = client.get(response.json()["status_url"], HTTP_AUTHORIZATION=f"Api-Key {hw.secret}").json()
    assert status["state"] == "done" and status["processed"] == 60 and len(status["accepted"]) == 60


def test_a_key_cannot_write_for_another_base_and_revoked_keys_are_refused(client, hw):
    other = hw.base(name="另一基地", institution=hw.other_inst, authority=hw.mianyang, region="510703")
    _key, other_secret = services.api_key_issue(actor=hw.other_operator, label="x", base=other)
    body = post_records(client, other_secret, [hw.record(1)]).json()
    assert body["accepted"] == [] and "不属于本基地" in body["refused"][0]["reason"]
    with pytest.raises(Exception):  # noqa: B017
        services.api_key_issue(actor=hw.other_operator, label="x", base=hw.b)
    services.api_key_revoke(actor=hw.operator, key=hw.key)
    assert post_records(client, hw.secret, [hw.record(1)]).status_code == 401
    assert post_records(client, "nonsense.key", [hw.record(1)]).status_code == 401
    assert not TrainingRecord.objects.exists()


def test_bad_body_is_400_not_500(client, hw):
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {hw.secret}"}
    assert (
        client.post(
            "/api/v1/hours/records/", {"records": "x"}, content_type="application/json", **auth
        ).status_code
        == 400
    )
    assert (
        client.post("/api/v1/hours/records/", "[1,2", content_type="application/json", **auth).status_code
        == 400
    )
    body = client.post(
        "/api/v1/hours/records/", {"records": [1, None, {"x": 1}]}, content_type="application/json", **auth
    ).json()
    assert len(body["refused"]) == 3


def test_secret_is_stored_hashed(hw):
    assert hw.secret not in ApiKey.objects.get().key_hash and len(ApiKey.objects.get().key_hash) == 64


def test_feed_needs_its_own_credential_and_pages_in_order(client, hw):
    post_records(client, hw.secret, [hw.record(i) for i in range(1, 6)])
    assert client.get("/api/v1/hours/feed/", HTTP_AUTHORIZATION=f"Api-Key {hw.secret}").status_code == 403
    _k, feed_secret = services.api_key_issue(actor=hw.admin, label="省系统", scope=ApiKey.Scope.FEED)
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {feed_secret}"}
    first = client.get("/api/v1/hours/feed/", {"after": 0, "limit": 3}, **auth).json()
    second = client.get("/api/v1/hours/feed/", {"after": first["next"], "limit": 3}, **auth).json()
    seqs = [e["seq"] for e in first["results"] + second["results"]]
    assert seqs == sorted(seqs) and len(seqs) == 5
    assert first["results"][0]["record"]["id_number"] == make_id(1)
    assert AuditEvent.objects.filter(action="hours.feed_read").count() == 2


def test_lookup_gives_the_summary_a_masked_id_and_an_audit_row(client, hw):
    from plans.models import TrainingClass

    TrainingClass.objects.filter(pk=hw.klass.pk).update(hours_per_trainee=200)
    post_records(
        client,
        hw.secret,
        [
            hw.record(1, hours="24"),
            hw.record(2, external_id="g", id_number=make_id(1), subject="general", hours="12"),
        ],
    )
    client.force_login(hw.cd_reviewer)
    response = client.post(
        "/api/v1/hours/people/lookup/",
        {"id_number": make_id(1), "year": 2026},
        content_type="application/json",
    )
    body = response.json()
    assert body["total"] == "36.0" and body["compliant"] is False and len(body["records"]) == 2
    assert body["id_number"] == crypto.mask(make_id(1))
    assert AuditEvent.objects.filter(action="hours.person_lookup").count() == 1
    full = client.post(
        "/api/v1/hours/people/lookup/",
        {"id_number": make_id(1), "year": 2026, "full": True},
        content_type="application/json",
    ).json()
    assert (
        full["id_number"] == make_id(1)
        and AuditEvent.objects.filter(action="hours.id_number_read").count() == 1
    )
    client.force_login(hw.sc_reviewer)
    assert (
        client.post(
            "/api/v1/hours/people/lookup/",
            {"id_number": make_id(1), "year": 2026},
            content_type="application/json",
        ).status_code
        == 200
    )
    client.force_login(hw.operator)
    assert (
        client.post(
            "/api/v1/hours/people/lookup/",
            {"id_number": make_id(1), "year": 2026},
            content_type="application/json",
        ).status_code
        == 403
    )


def lookup(client, id_number, year=2026):
    return client.post(
        "/api/v1/hours/people/lookup/",
        {"id_number": id_number, "year": year},
        content_type="application/json",
    )


def test_a_lookup_costs_a_fixed_number_of_queries_and_sums_valid_records_only_r35(
    client, hw, django_assert_num_queries
):
    """The look-up reads the records once and sums them itself, a fixed number of queries however many records;
    a voided record is listed but not counted (R-35)."""
    from plans.models import TrainingClass

    TrainingClass.objects.filter(pk=hw.klass.pk).update(hours_per_trainee=200)
    post_records(client, hw.secret, [hw.record(n, id_number=make_id(1), hours="10") for n in range(1, 6)])
    voided = records_void(base=hw.b, external_ids=["r5"], reason="重复", source="api")
    assert voided.accepted == ["r5"]
    client.force_login(hw.cd_reviewer)
    # 10: session, user, the session's OTP device (two factors), memberships, person, records, audit row, and the
    # session saved again (a savepoint, an UPDATE and its release: SESSION_SAVE_EVERY_REQUEST keeps the idle
    # timeout moving). No separate EXISTS and SUM queries any more.
    with django_assert_num_queries(10):
        body = lookup(client, make_id(1)).json()
    assert (body["total"], body["professional"], len(body["records"])) == ("40.0", "40.0", 5)
    person = TrainingRecord.objects.first().person_id
    assert services.person_year_summary(person, 2026)["total"] == 40


def test_a_mianyang_reviewer_sees_a_chengdu_bases_record_of_the_person_with_the_base_and_its_status(
    client, hw
):
    """R-32: hours are valid across the province, so any authority looking a person up sees their whole year."""
    mianyang_base = hw.base(
        name="绵阳基地", institution=hw.other_inst, authority=hw.mianyang, region="510703"
    )
    post_records(client, hw.secret, [hw.record(1, hours="12", work_region="510104")])
    Base.objects.filter(pk=hw.b.pk).update(status=Base.Status.REVOKED)
    client.force_login(hw.my_reviewer)

    body = lookup(client, make_id(1)).json()

    assert hw.b.approving_authority_id == hw.chengdu.pk != mianyang_base.approving_authority_id
    assert body["total"] == "12.0" and len(body["records"]) == 1 and body["work_region"] == "510104"
    [record] = body["records"]
    assert (record["base"], record["base_status"], record["base_status_display"]) == (
        "计划基地",
        "revoked",
        "已撤销",
    )
    event = AuditEvent.objects.get(action="hours.person_lookup")
    assert event.actor == hw.my_reviewer and event.object_id == str(Person.objects.get().pk)
    page = client.post("/hours/lookup/", {"id_number": make_id(1), "year": 2026}).content.decode()
    assert "计划基地" in page and "已撤销" in page and "工作地区：成都市锦江区" in page
    assert AuditEvent.objects.filter(action="hours.person_lookup").count() == 2


def test_an_institution_operator_may_not_look_up_a_person(client, hw):
    post_records(client, hw.secret, [hw.record(1)])
    client.force_login(hw.operator)
    assert lookup(client, make_id(1)).status_code == 403
    assert client.post("/hours/lookup/", {"id_number": make_id(1), "year": 2026}).status_code == 404
    with pytest.raises(PermissionRefused, match="主管部门"):
        services.person_lookup(actor=hw.operator, id_number=make_id(1), year=2026)
    assert not AuditEvent.objects.filter(action="hours.person_lookup").exists()


def test_a_person_without_records_in_the_year_is_not_found_and_the_look_up_is_audited(client, hw):
    post_records(client, hw.secret, [hw.record(1)])
    client.force_login(hw.my_reviewer)
    assert lookup(client, make_id(1), year=2025).status_code == 404
    assert AuditEvent.objects.get(action="hours.person_lookup").comment == "year=2025 found=False"


def test_the_statistics_page_pages_through_every_base_and_the_export_has_them_all(
    client, hw, django_assert_max_num_queries
):
    """More than 500 bases: the page once stopped at the first 500; now every base is on a page, and the
    workbook has them all."""
    bulk_bases(hw, 505)
    post_records(client, hw.secret, [hw.record(1), hw.record(2)])
    client.force_login(hw.sc_reviewer)
    seen = []
    for number in itertools.count(1):
        with django_assert_max_num_queries(12):  # a fixed few, not one a base: 50 bases a page
            response = client.get("/hours/statistics/", {"year": 2026, "page": number})
        seen += [(r["base_id"], r["records"]) for r in response.context["rows"]]
        if not response.context["page"].has_next():
            break
    assert len(seen) == len(set(seen)) == Base.objects.count() == 506
    assert (hw.b.pk, 2) in seen

    export = client.get("/hours/statistics.xlsx", {"year": 2026})
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:3] == ("基地", "基地状态", "年度") and len(rows) == 1 + 506
    assert [r[3:5] for r in rows[1:] if r[0] == "计划基地"] == [(2, 2)]


def test_the_statistics_page_shows_an_authority_only_the_bases_it_approved(client, hw):
    bulk_bases(hw, 3, authority=hw.mianyang)
    client.force_login(hw.my_reviewer)
    rows = client.get("/hours/statistics/").context["rows"]
    assert len(rows) == 3 and hw.b.pk not in {r["base_id"] for r in rows}
    client.force_login(hw.operator)
    assert client.get("/hours/statistics/").status_code == 404
    assert client.get("/hours/statistics.xlsx").status_code == 404


def test_certificate_is_verified_with_masked_data_only(client, hw):
    post_records(client, hw.secret, [hw.record(1)])
    client.force_login(hw.cd_reviewer)
    response = client.post("/hours/lookup/", {"id_number": make_id(1), "year": 2026, "certificate": "1"})
    assert response.status_code == 302
    cert = Certificate.objects.get()
    assert make_id(1) not in response.url
    client.logout()
    body = client.get("/hours/verify/", {"code": cert.code}).content.decode()
    assert "真实有效" in body and crypto.mask(make_id(1)) in body and make_id(1) not in body
    assert "未找到" in client.get("/hours/verify/", {"code": "ZZZZZZZZZZZZ"}).content.decode()


def workbook(rows):
    from hours.excel import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("hours.xlsx", buf.getvalue())


def test_excel_upload_reports_refused_rows_and_reupload_is_idempotent(
    client, hw, django_capture_on_commit_callbacks
):
    wrong = make_id(9)[:-1] + ("0" if make_id(9)[-1] != "0" else "1")
    bad = ["bad1", wrong, "坏", hw.klass.pk, "专业科目", 12, "2026-03-15"]
    rows = [
        [f"x{i}", make_id(i), f"学员{i}", hw.klass.pk, "专业科目", 12, "2026-03-15"] for i in range(1, 4)
    ] + [bad]
    client.force_login(hw.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/hours/bases/{hw.b.pk}/upload/", {"file": workbook(rows)})
    batch = IngestBatch.objects.get()
    assert response.url == f"/hours/batches/{batch.pk}/"
    status = client.get(f"/hours/batches/{batch.pk}/status.json").json()
    assert (status["state"], status["processed"], status["accepted"], status["refused"]) == ("done", 4, 3, 1)
    refused = load_workbook(
        io.BytesIO(b"".join(client.get(f"/hours/batches/{batch.pk}/refused.xlsx").streaming_content))
    )
    values = list(refused.active.iter_rows(values_only=True))
    assert values[1][0] == 5 and values[1][1] == "bad1" and "身份证号码无效" in values[1][-1]
    assert AuditEvent.objects.filter(action="hours.refused_exported").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/hours/bases/{hw.b.pk}/upload/", {"file": workbook(rows[:3])})
    assert TrainingRecord.objects.count() == 3 and FeedEntry.objects.count() == 3
    client.force_login(hw.other_operator)
    assert client.get(f"/hours/batches/{batch.pk}/").status_code == 404


def test_upload_of_a_non_workbook_is_refused(client, hw):
    client.force_login(hw.operator)
    response = client.post(
        f"/hours/bases/{hw.b.pk}/upload/", {"file": SimpleUploadedFile("x.xlsx", b"not really")}, follow=True
    )
    assert "仅接受" in response.content.decode()
    assert not IngestBatch.objects.exists()


def test_key_rotation_reencrypts_and_lookups_still_work(hw, settings):
    from cryptography.fernet import Fernet

    services.batch_submit(base=hw.b, records=[hw.record(1)], source="api")
    # A queued batch (not yet applied: its worker runs on commit) holds an encrypted ID number too.
    queued, _outcome = services.batch_submit(base=hw.b, records=[hw.record(2)], source="excel")
    old_token = Person.objects.get().id_encrypted
    settings.HOURS_ID_KEYS = Fernet.generate_key().decode() + "," + settings.HOURS_ID_KEYS
    crypto.reset_key_cache()
    call_command("rotate_id_keys", stdout=io.StringIO())
    person = Person.objects.get()
    assert person.id_encrypted != old_token and crypto.decrypt(person.id_encrypted) == make_id(1)
    settings.HOURS_ID_KEYS = settings.HOURS_ID_KEYS.split(",")[0]
    crypto.reset_key_cache()
    assert crypto.decrypt(person.id_encrypted) == make_id(1)  # only the new key is needed now
    (chunk,) = queued.chunks.all()
    assert payloads.opened(chunk.payload)[0]["id_number"] == make_id(2)
    assert Person.objects.filter(id_hash=crypto.lookup_hash(make_id(1))).exists()
    crypto.reset_key_cache()


def test_no_id_number_in_any_log_line_or_url(client, hw, caplog):
    caplog.set_level(logging.DEBUG)
    ids = [make_id(i) for i in range(1, 4)]
    bad_id = ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")
    post_records(client, hw.secret, [hw.record(1), hw.record(2, id_number=bad_id), hw.record(3, hours="-1")])
    client.post(
        "/api/v1/hours/records/",
        {"records": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {hw.secret}",
    )
    client.force_login(hw.cd_reviewer)
    client.post(
        "/api/v1/hours/people/lookup/", {"id_number": ids[1], "year": 2026}, content_type="application/json"
    )
    client.post(
        "/api/v1/hours/people/lookup/", {"id_number": "123", "year": 2026}, content_type="application/json"
    )
    response = client.post("/hours/lookup/", {"id_number": ids[0], "year": 2026})
    assert response.status_code == 200
    text = (
        caplog.text
        + " ".join(AuditEvent.objects.values_list("comment", flat=True))
        + " ".join(ApiKeyUse.objects.values_list("path", flat=True))
    )
    for number in [*ids, bad_id]:
        assert number not in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL concurrency")
@pytest.mark.django_db(transaction=True)
def test_feed_cursor_never_skips_or_repeats_under_concurrent_writes(settings):
    from tests.hours.conftest import HoursWorld

    settings.HOURS_SYNC_LIMIT = 10_000
    hw = HoursWorld()
    FeedCounter.objects.get_or_create(pk=1)  # the migration's row (a transactional test's flush removes it)
    stop = threading.Event()
    errors = []

    def writer(offset):
        from django.db import connection as conn

        try:
            for i in range(25):
                # Distinct people per writer (different birth years), so no record hits the per-class cap.
                batch = [
                    hw.record(
                        offset + i * 4 + k, id_number=make_id(i * 4 + k, birth=f"19{60 + offset // 1000}0615")
                    )
                    for k in range(4)
                ]
                _b, out = services.batch_submit(base=hw.b, records=batch, source="api")
                if out.refused or out.created != 4:
                    errors.append(out.refused)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    seen = []

    def reader():
        from django.db import connection as conn

        cursor = 0
        try:
            while not stop.is_set() or FeedEntry.objects.filter(seq__gt=cursor).exists():
                page, cursor = services.feed_page(after=cursor, limit=7)
                seen.extend(e.seq for e in page)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    writers = [threading.Thread(target=writer, args=(n * 1000,)) for n in range(3)]
    r = threading.Thread(target=reader)
    r.start()
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    r.join()
    assert not errors
    all_seqs = list(FeedEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert len(all_seqs) == 300 and FeedCounter.objects.get().last == all_seqs[-1]
    assert len(seen) == 300, (
        sorted(set(all_seqs) - set(seen))[:20] and len(set(seen)) == 300 and seen == sorted(seen)
    )
    assert seen == list(range(seen[0], seen[0] + 300))


def test_records_export_is_an_audited_read(client, hw):
    services.batch_submit(base=hw.b, records=[hw.record(1), hw.record(2)], source="api")
    client.force_login(hw.operator)
    response = client.get(f"/hours/bases/{hw.b.pk}/records/2026.xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][1] == "身份证号码" and {r[1] for r in rows[1:]} == {make_id(1), make_id(2)}
    assert AuditEvent.objects.filter(action="hours.records_exported").count() == 1
    client.force_login(hw.other_operator)
    assert client.get(f"/hours/bases/{hw.b.pk}/records/2026.xlsx").status_code == 404


def test_ingestion_refuses_nested_and_nul_values_record_by_record_without_walking_the_body(client, hw):
    """The records endpoint skips the generic JSON walk (kit.drf.TypedJSONParser): what that walk refused must
    still be refused here — a NUL or a deeply nested value in any field refuses that record only, and a body too
    deep for the decoder is a 400, never a 500 (issue 13's bad input, issue 12's speed)."""
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {hw.secret}"}
    deep = {"a": 1}
    for _ in range(200):
        deep = {"a": deep}
    bad = [
        hw.record(1, name="学员\u0000"),
        hw.record(2, external_id="r\u00002"),
        hw.record(3, hours="1\u0000"),
        hw.record(4, name=deep),
        hw.record(5, work_region=[[["510104"]]]),
        hw.record(6, completed_on="2026-03-15\u0000"),
    ]
    body = client.post(
        "/api/v1/hours/records/", {"records": [*bad, hw.record(7)]}, content_type="application/json", **auth
    ).json()
    assert body["accepted"] == ["r7"] and len(body["refused"]) == 6
    assert list(TrainingRecord.objects.values_list("external_id", flat=True)) == ["r7"]
    too_deep = "[" * 100_000 + "]" * 100_000
    res = client.post("/api/v1/hours/records/", too_deep, content_type="application/json", **auth)
    assert res.status_code == 400


def test_batch_page_lists_the_first_refused_rows_with_reasons_and_offers_the_rest_as_download(
    client, hw, django_capture_on_commit_callbacks, monkeypatch
):
    from hours import views

    monkeypatch.setattr(views, "REFUSED_ON_PAGE", 2)
    rows = [
        [f"x{i}", make_id(i), f"学员{i}", hw.klass.pk, "专业科目", 12, "2026-03-15"] for i in range(1, 3)
    ] + [[f"bad{i}", make_id(i)[:-2], "坏", hw.klass.pk, "专业科目", 12, "2026-03-15"] for i in range(3, 6)]
    client.force_login(hw.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/hours/bases/{hw.b.pk}/upload/", {"file": workbook(rows)})
    batch = IngestBatch.objects.get()
    html = client.get(f"/hours/batches/{batch.pk}/").content.decode()
    section = html[html.index('data-testid="refused-rows"') :]
    assert "bad3" in section and "bad4" in section and "bad5" not in section
    assert "身份证号码" in section
    assert f"/hours/batches/{batch.pk}/refused.xlsx" in section
