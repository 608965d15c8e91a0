"""Work regions of records (hours.ingest.regions, R-20): optional, a county of Sichuan or the record is refused,
kept on the record and as the person's latest known region, read once per batch."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from hours import services
from hours.excel import COLUMNS, REQUIRED_COLUMNS, read_rows, refused_workbook
from hours.integrity import dangling_references
from hours.models import ApiKey, Person, RecordRevision, TrainingRecord
from tests.hours.conftest import ingest, make_id

pytestmark = pytest.mark.django_db


def test_a_work_region_is_optional_and_kept_on_the_record_and_the_person(hw):
    out = ingest(hw, hw.record(1, work_region="513201"), hw.record(2), hw.record(3, work_region=" "))
    assert out.accepted == ["r1", "r2", "r3"] and out.refused == []
    assert dict(TrainingRecord.objects.values_list("external_id", "work_region_id")) == {
        "r1": "513201",
        "r2": None,
        "r3": None,
    }
    people = dict(Person.objects.values_list("name", "work_region_id"))
    assert people == {"学员1": "513201", "学员2": None, "学员3": None}
    assert set(dangling_references().values()) == {0}


def test_a_work_region_sent_as_a_number_is_taken(hw):
    """Excel gives a code typed into a cell as a number."""
    out = ingest(hw, hw.record(1, work_region=510104), hw.record(2, work_region=510104.0))
    assert out.accepted == ["r1", "r2"]
    assert set(TrainingRecord.objects.values_list("work_region_id", flat=True)) == {"510104"}


@pytest.mark.parametrize(
    "work_region",
    ["510100", "510000", "110101", "519999", "abc", "5101040", 5101, True, ["510104"], {"code": "510104"}],
    ids=[
        "prefecture",
        "province",
        "beijing",
        "unknown",
        "letters",
        "seven-digits",
        "short",
        "bool",
        "list",
        "obj",
    ],
)
def test_a_work_region_that_is_not_a_county_of_sichuan_refuses_the_record(hw, work_region):
    out = ingest(hw, hw.record(1, work_region=work_region), hw.record(2, work_region="510104"))
    assert out.accepted == ["r2"]
    assert out.refused[0]["external_id"] == "r1" and "work_region" in out.refused[0]["reason"]
    assert "县级行政区划代码" in out.refused[0]["reason"]
    assert list(TrainingRecord.objects.values_list("external_id", flat=True)) == ["r2"]


def test_an_inactive_county_is_refused(hw):
    from accounts.models import Region

    Region.objects.filter(pk="510104").update(is_active=False)
    out = ingest(hw, hw.record(1, work_region="510104"))
    assert out.accepted == [] and "work_region" in out.refused[0]["reason"]


def test_a_resend_with_another_work_region_is_a_correction_and_the_same_one_changes_nothing(hw):
    ingest(hw, hw.record(1, work_region="510104"))
    assert ingest(hw, hw.record(1, work_region="510104")).unchanged == 1
    out = ingest(hw, hw.record(1, work_region="513201"))
    assert out.corrected == 1
    assert TrainingRecord.objects.get().work_region_id == "513201"
    assert RecordRevision.objects.get().previous["work_region_id"] == "510104"


def test_a_resend_without_a_work_region_keeps_the_records_region_r20(hw):
    """Platforms often know the work unit of only some trainees: leaving the column out of a resend must not
    erase the region R-20's statistics count by, while the correction itself goes through."""
    ingest(hw, hw.record(1, work_region="510104"))
    assert ingest(hw, hw.record(1)).unchanged == 1
    out = ingest(hw, hw.record(1, hours="10", work_region=""))
    assert out.corrected == 1
    assert TrainingRecord.objects.values_list("hours", "work_region_id").get() == (10, "510104")


def test_the_feed_carries_each_records_work_region_r20(hw, client):
    ingest(hw, hw.record(1, work_region="513201"), hw.record(2))
    _key, secret = services.api_key_issue(actor=hw.admin, label="feed", scope=ApiKey.Scope.FEED)
    res = client.get("/api/v1/hours/feed/?after=0", HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert res.status_code == 200
    assert {e["record"]["external_id"]: e["record"]["work_region"] for e in res.json()["results"]} == {
        "r1": "513201",
        "r2": None,
    }


@pytest.mark.parametrize("through_the_orm", [False, True], ids=["database", "orm"])
def test_the_persons_region_is_that_of_their_latest_record(hw, monkeypatch, through_the_orm):
    """A correction of an older record does not move the person back to where they used to work (on SQLite
    the ORM does what one statement does on PostgreSQL)."""
    if through_the_orm:
        monkeypatch.setattr("hours.ingest.regions._is_postgresql", lambda: False)
    same = make_id(1)
    ingest(
        hw,
        hw.record(1, id_number=same, completed_on="2026-03-20", work_region="513201"),
        hw.record(2, id_number=same, completed_on="2026-03-05", work_region="510104", hours="6"),
    )
    person = Person.objects.get()
    assert (person.work_region_id, str(person.work_region_on)) == ("513201", "2026-03-20")
    ingest(hw, hw.record(2, id_number=same, completed_on="2026-03-06", work_region="510105", hours="6"))
    person.refresh_from_db()
    assert person.work_region_id == "513201"
    ingest(hw, hw.record(3, id_number=same, completed_on="2026-03-25", work_region="510105", hours="6"))
    person.refresh_from_db()
    assert (person.work_region_id, str(person.work_region_on)) == ("510105", "2026-03-25")


def test_a_record_refused_by_the_cap_does_not_set_the_persons_region(hw):
    ingest(hw, hw.record(1, hours="24", work_region="510104"))
    out = ingest(
        hw, hw.record(2, id_number=make_id(1), hours="1", work_region="513201", completed_on="2026-03-30")
    )
    assert out.refused and Person.objects.get().work_region_id == "510104"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's bulk inserts split by its variable limit"
)
def test_work_regions_cost_a_fixed_number_of_queries_whatever_the_batch(hw, django_assert_max_num_queries):
    """The county codes are read once per batch and the people's regions written in one statement."""
    with CaptureQueriesContext(connection) as without:
        ingest(hw, *[hw.record(i, hours="0.5") for i in range(1, 4)])
    with CaptureQueriesContext(connection) as few:
        ingest(hw, *[hw.record(i, hours="0.5", work_region="510104") for i in range(10, 13)])
    assert len(few.captured_queries) == len(without.captured_queries) + 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        out = ingest(hw, *[hw.record(i, hours="0.5", work_region="513201") for i in range(100, 400)])
    assert out.created == 300


def _workbook(path, header, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_the_excel_work_region_column_is_read_and_a_workbook_without_it_still_is(hw, tmp_path):
    row = ["x1", make_id(1), "张三", hw.klass.pk, "专业科目", 12, "2026-03-15"]
    with_column = read_rows(_workbook(tmp_path / "new.xlsx", COLUMNS, [[*row, 513201]]))
    without = read_rows(_workbook(tmp_path / "old.xlsx", REQUIRED_COLUMNS, [row]))
    own_column = read_rows(_workbook(tmp_path / "own.xlsx", [*REQUIRED_COLUMNS, "备注"], [[*row, "补录"]]))
    assert with_column[0]["work_region"] == 513201
    assert without[0]["work_region"] is None and own_column[0]["work_region"] is None
    assert ingest(hw, *with_column).accepted == ["x1"]
    assert TrainingRecord.objects.get().work_region_id == "513201"


def test_the_refused_rows_workbook_shows_the_work_region_as_uploaded(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "refused.xlsx"
    refused_workbook(
        path, {2: {"external_id": "x1", "work_region": "510100"}}, [{"row": 2, "reason": "工作地区代码有误"}]
    )
    header, row = load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True)
    assert header[-2:] == ("工作地区代码", "原因") and row[-2:] == ("510100", "工作地区代码有误")


def test_the_records_export_has_the_work_region_of_each_record(hw):
    from hours import services

    ingest(hw, hw.record(1, work_region="513201"), hw.record(2))
    rows = {r[0]: r[-1] for r in services.records_export_rows(base=hw.b, year=2026)}
    assert services.RECORD_EXPORT_HEADERS[-1] == "工作地区代码" and rows == {"r1": "513201", "r2": ""}
