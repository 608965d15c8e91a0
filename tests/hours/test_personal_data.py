"""No plaintext ID number is kept anywhere (R-32; the Personal Information Protection Law): queued payloads
hold it encrypted, a finished batch keeps only masked refused rows, the uploaded workbook is deleted, and the
refused-rows download escapes formulas."""

import io
import subprocess

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hours import crypto, payloads
from hours.excel import COLUMNS
from hours.models import IngestBatch, IngestChunk
from hours.selectors import batch_accepted, batch_refused
from tests.plans.test_celery_worker import real_celery, wait_for  # noqa: F401  (a fixture and its helper)

from .conftest import HoursWorld, make_id


def _workbook(hw, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = (
                    "s"  # text that looks like a formula, as a spreadsheet saves it when typed with '
                )
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "学时.xlsx"
    return data


def test_a_queued_chunk_holds_its_records_encrypted_only():
    records = [{"external_id": "a", "id_number": make_id(7), "name": "甲", "_row": 2}]
    sealed = payloads.sealed(records)
    assert make_id(7) not in str(sealed) and "甲" not in str(sealed) and sealed["count"] == 1
    assert payloads.opened(sealed) == records
    assert payloads.opened(payloads.rotated(sealed)) == records


def test_a_chunk_queued_in_the_former_format_still_opens():
    """Chunks queued before a deploy held each ID number encrypted on its own record."""
    former = [{"external_id": "a", "id_encrypted": crypto.encrypt(make_id(7)), "name": "甲"}]
    assert payloads.opened(former) == [{"external_id": "a", "id_number": make_id(7), "name": "甲"}]
    assert payloads.opened(payloads.rotated(former))[0]["id_number"] == make_id(7)


@pytest.mark.django_db
def test_a_finished_batch_keeps_masked_refused_rows_and_escapes_formulas(
    hw, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    good, bad = make_id(1), make_id(2)
    upload = _workbook(
        hw,
        [
            ["ok1", good, "学员甲", hw.klass.pk, "专业科目", 12, "2026-03-15"],
            ["=HYPERLINK(1)", bad, "=1+1", hw.klass.pk, "专业科目", 99, "2026-03-15"],
        ],
    )
    client.force_login(hw.operator)
    with django_capture_on_commit_callbacks(execute=True):  # the worker's tasks, eager here
        client.post(reverse("hours:upload", args=[hw.b.pk]), {"file": upload})
    batch = IngestBatch.objects.get()
    assert batch.state == IngestBatch.State.DONE and (batch.accepted_count, batch.refused_count) == (1, 1)
    assert not (tmp_path / "hours" / "uploads" / f"{batch.pk}.xlsx").exists()
    assert all(chunk.payload == [] for chunk in IngestChunk.objects.filter(batch=batch))
    (refused,) = batch_refused(batch)
    assert refused["record"]["id_number"] == crypto.mask(bad) and refused["row"] == 3
    assert bad not in str(list(IngestChunk.objects.filter(batch=batch).values_list("refused", flat=True)))
    rows = list(load_workbook(io.BytesIO(_download(client, batch))).active.iter_rows(values_only=True))
    assert rows[1][1:4] == ("'=HYPERLINK(1)", crypto.mask(bad), "'=1+1")


def _download(client, batch) -> bytes:
    response = client.get(reverse("hours:batch_refused", args=[batch.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="dumps the PostgreSQL test database")
@pytest.mark.django_db(transaction=True)
def test_no_plaintext_id_number_is_stored_anywhere(real_celery, client, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    hw = HoursWorld()
    ids = [make_id(n) for n in range(1, 62)]
    headers = {"authorization": f"Api-Key {hw.secret}"}
    small = client.post(
        reverse("api-hours-records"),
        {"records": [hw.record(1, id_number=ids[0])]},
        content_type="application/json",
        headers=headers,
    )
    assert small.status_code == 200 and small.json()["accepted"] == ["r1"]
    queued = client.post(
        reverse("api-hours-records"),
        {"records": [hw.record(n, external_id=f"q{n}", id_number=ids[n], hours="1") for n in range(1, 60)]},
        content_type="application/json",
        headers=headers,
    )
    assert queued.status_code == 202
    client.force_login(hw.operator)
    upload = _workbook(hw, [["x1", ids[60], "学员六十", hw.klass.pk, "专业科目", 99, "2026-03-15"]])
    client.post(reverse("hours:upload", args=[hw.b.pk]), {"file": upload})
    wait_for(lambda: IngestBatch.objects.exclude(state=IngestBatch.State.DONE).count() == 0)
    assert IngestBatch.objects.count() == 2
    db = django_settings.DATABASES["default"]
    dump = subprocess.run(
        ["pg_dump", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"] or "postgres", db["NAME"]],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "hours_ingestchunk" in dump and len(dump) > 10_000
    files = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    found = [i for i in ids if i in dump or i.encode() in files]
    assert found == []


@pytest.mark.django_db
def test_a_queued_api_batch_stores_no_plaintext_id_number(hw, client, django_capture_on_commit_callbacks):
    ids = [make_id(n) for n in range(1, 61)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("api-hours-records"),
            {"records": [hw.record(n, id_number=ids[n - 1], hours="1") for n in range(1, 61)]},
            content_type="application/json",
            headers={"authorization": f"Api-Key {hw.secret}"},
        )
    assert response.status_code == 202
    stored = str(list(IngestChunk.objects.values_list("payload", flat=True)))
    assert "records_encrypted" in stored and [i for i in ids if i in stored] == []
    for callback in queued:
        callback()
    batch = IngestBatch.objects.get()
    assert (
        batch.state == IngestBatch.State.DONE
        and batch.accepted_count == 60
        and len(batch_accepted(batch)) == 60
    )
