"""The hours' audit events in words (issue "A portal people can find their way in", "Words, not codes"): years,
key prefixes, counts and lookups said as words; an upload is named by its base and file, never by its id."""

import pytest

from audit.labels import describe_comment
from audit.models import AuditEvent
from tests.hours.conftest import make_id
from tests.hours.test_api_and_pages import workbook

pytestmark = pytest.mark.django_db


def said(action, comment):
    return describe_comment(AuditEvent(action=action, comment=comment))


def test_years_lookups_and_counts_are_words():
    assert said("hours.person_lookup", "year=2025 found=False") == "2025 年度；未查到学时记录"
    assert said("hours.person_lookup", "year=2025 found=True") == "2025 年度；查到学时记录"
    assert said("hours.id_number_read", "year=2025") == "2025 年度"
    assert said("hours.records_exported", "2025") == "2025 年度"
    assert said("hours.year_closed", "2025") == "2025 年度"
    assert said("hours.refused_exported", "rows=12") == "12 行"
    assert said("hours.feed_read", "after=100 n=20") == "读取 20 条变更（序号 100 之后）"


def test_a_keys_scope_and_prefix_are_words():
    assert said("api_key.issued", "ingest 1a2b3c4d") == "用途：学时报送（基地培训平台）；前缀：1a2b3c4d"
    assert said("api_key.revoked", "1a2b3c4d") == "前缀：1a2b3c4d"
    assert said("api_key.revoked", "1a2b3c4d base revoked") == "前缀：1a2b3c4d；基地：已撤销"


def test_an_upload_is_named_by_its_base_and_file(client, hw, django_capture_on_commit_callbacks):
    rows = [["x1", make_id(1), "学员1", hw.klass.pk, "专业科目", 12, "2026-03-15"]]
    client.force_login(hw.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/hours/bases/{hw.b.pk}/upload/", {"file": workbook(rows)})
    event = AuditEvent.objects.get(action="hours.excel_uploaded")
    assert event.object_repr.startswith("计划基地 ") and event.object_id not in event.object_repr
    page = client.get(f"/hours/batches/{event.object_id}/").content.decode()
    breadcrumb = page[page.index('aria-label="breadcrumb"') :].split("</nav>", 1)[0]
    assert "<title>计划基地 · 报送批次" in page and event.object_id not in breadcrumb
