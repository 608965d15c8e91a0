"""Reading an uploaded workbook (R-31): dates as people type them and Excel date cells, a cap on rows read
before anything is stored, and a clear word for a class number that is not a number."""

import datetime

import pytest
from openpyxl import Workbook

from hours import services
from hours.excel import COLUMNS, read_rows
from hours.models import IngestBatch, IngestChunk

from .conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def _save(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_dates_typed_with_slashes_dots_or_chinese_and_excel_date_cells_are_dates(hw, tmp_path):
    dates = ["2026/3/15", "2026.03.16", "2026年3月17日", datetime.datetime(2026, 3, 18), "15/03/2026"]
    rows = [[f"d{i}", make_id(i), "甲", hw.klass.pk, "专业科目", 1, d] for i, d in enumerate(dates)]
    records = read_rows(_save(tmp_path / "dates.xlsx", rows))
    assert [r["completed_on"] for r in records] == [
        "2026-03-15",
        "2026-03-16",
        "2026-03-17",
        "2026-03-18",
        "15/03/2026",  # day first is ambiguous: left for parsing to refuse with its reason
    ]
    out = ingest(hw, *records)
    assert sorted(out.accepted) == ["d0", "d1", "d2", "d3"]
    assert [r["reason"] for r in out.refused] == ["完成日期应为 YYYY-MM-DD"]


def test_a_workbook_over_the_row_limit_is_refused_while_reading_and_stores_nothing(hw, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.HOURS_MAX_BATCH = 3
    rows = [[f"m{i}", make_id(i), "甲", hw.klass.pk, "专业科目", 1, "2026-03-15"] for i in range(4)]
    with pytest.raises(ValueError, match="超过 3 行"):
        read_rows(_save(tmp_path / "big.xlsx", rows))
    batch = IngestBatch.objects.create(
        base=hw.b, source="excel", created_by=hw.operator, file_name="big.xlsx"
    )
    upload = tmp_path / "hours" / "uploads" / f"{batch.pk}.xlsx"
    upload.parent.mkdir(parents=True)
    _save(upload, rows)
    done = services.batch_prepare_excel(batch_id=batch.pk)
    assert done.state == IngestBatch.State.FAILED and "超过 3 行" in done.error
    assert not IngestChunk.objects.filter(batch=batch).exists() and not upload.exists()


def test_a_class_number_that_is_not_a_number_says_so(hw):
    out = ingest(hw, hw.record(class_id="第三期"), hw.record(2, class_id=None))
    assert sorted(r["reason"] for r in out.refused) == [
        "培训班编号应为数字（class_id）",
        "缺少培训班编号（class_id）",
    ]


def test_whole_numbers_read_as_excel_shows_them_and_cells_left_empty_are_none(hw, tmp_path):
    """calamine reads every number as a float: a record number 1001 is "1001", not "1001.0"."""
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append([1001, make_id(1), "甲", hw.klass.pk, "专业科目", 12, "2026-03-15", 510104])
    ws.append([None] * len(COLUMNS))  # a blank row is skipped, and the row numbers still follow the sheet
    ws.append(["r4", make_id(2), "乙", float(hw.klass.pk), "专业", 1.5, datetime.date(2026, 3, 16), None])
    path = tmp_path / "numbers.xlsx"
    wb.save(path)
    first, second = read_rows(path)
    assert (first["_row"], first["external_id"], first["class_id"], first["hours"]) == (
        2,
        "1001",
        hw.klass.pk,
        12,
    )
    assert type(first["class_id"]) is int and first["work_region"] == 510104
    assert (second["_row"], second["hours"], second["completed_on"], second["work_region"]) == (
        4,
        1.5,
        "2026-03-16",
        None,
    )
    out = ingest(hw, first, second)
    assert sorted(out.accepted) == ["1001", "r4"] and out.refused == []


@pytest.mark.parametrize("offset", ["row", "column"])
def test_a_header_not_in_the_first_row_from_column_a_is_refused(tmp_path, offset):
    wb = Workbook()
    ws = wb.active
    ws.append([None] if offset == "row" else [])
    ws.append(([None] if offset == "column" else []) + COLUMNS)
    path = tmp_path / "shifted.xlsx"
    wb.save(path)
    with pytest.raises(ValueError, match="表头应为"):
        read_rows(path)


def test_an_unreadable_workbook_fails_the_batch_with_a_clear_message(hw, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    batch = IngestBatch.objects.create(base=hw.b, source="excel", created_by=hw.operator, file_name="x.xlsx")
    upload = tmp_path / "hours" / "uploads" / f"{batch.pk}.xlsx"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"PK\x03\x04 not a workbook")
    done = services.batch_prepare_excel(batch_id=batch.pk)
    assert done.state == IngestBatch.State.FAILED and "无法读取该工作簿" in done.error
    assert not IngestChunk.objects.filter(batch=batch).exists() and not upload.exists()


def test_an_upload_goes_through_the_storage_api_so_another_node_can_process_it(hw, tmp_path, settings):
    """Issue 16: the workbook is stored and read through Django's storage API (here an in-memory storage with no
    local path, like an object store), processed by the worker's step, and deleted when the batch ends."""
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    rows = [[f"s{i}", make_id(i), "甲", hw.klass.pk, "专业科目", 1, "2026-03-15"] for i in range(3)]
    data = _save(tmp_path / "up.xlsx", rows).read_bytes()
    batch = services.batch_submit_excel(
        actor=hw.operator, base=hw.b, upload=SimpleUploadedFile("学时.xlsx", data)
    )
    assert default_storage.exists(f"hours/uploads/{batch.pk}.xlsx")
    assert not list(tmp_path.rglob(f"{batch.pk}.xlsx"))  # nothing written beside the storage
    done = services.batch_prepare_excel(batch_id=batch.pk)
    assert done.state == IngestBatch.State.DONE and done.accepted_count == 3
    assert not default_storage.exists(f"hours/uploads/{batch.pk}.xlsx")
