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
    settings.HOURS_EXCEL_MAX_ROWS = 3
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
