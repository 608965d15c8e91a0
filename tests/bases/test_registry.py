"""The public registry (R-01, R-02, R-36): search, filters with counts, revoked hidden, profile, export, API, feed."""

import io

import defusedxml.ElementTree as ET
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from bases.models import Notice
from bases.services import notice_publish

pytestmark = pytest.mark.django_db


def names(response):
    return [b.name for b in response.context["page"].object_list]


def test_substring_search_covers_name_institution_and_field(client, reg):
    reg.base(name="数字经济继续教育基地", fields=["数字经济"])
    reg.base(
        name="护理基地", fields=["护理"], institution=reg.other_inst, authority=reg.mianyang, region="510703"
    )
    assert names(client.get("/bases/", {"q": "经济"})) == ["数字经济继续教育基地"]
    assert names(client.get("/bases/", {"q": "另一学院"})) == ["护理基地"]
    assert names(client.get("/bases/", {"q": "护理"})) == ["护理基地"]


def test_filters_by_level_prefecture_county_field_and_authority(client, reg):
    reg.base(name="成都市级", level="municipal", region="510107")
    reg.base(name="绵阳市级", level="municipal", region="510703", authority=reg.mianyang)
    reg.base(name="省级", level="provincial", region="510104", authority=reg.province, fields=["智能制造"])
    reg.base(name="国家级", level="national", region="510104", authority=reg.province)
    assert set(names(client.get("/bases/", {"prefecture": "510100"}))) == {"成都市级", "省级", "国家级"}
    assert names(client.get("/bases/", {"prefecture": "510100", "county": "510107"})) == ["成都市级"]
    assert names(client.get("/bases/", {"level": "national"})) == ["国家级"]
    assert set(names(client.get("/bases/", {"level": "provincial"}))) == {"省级", "国家级"}
    assert names(client.get("/bases/", {"field": "智能制造"})) == ["省级"]
    assert names(client.get("/bases/", {"field": "智能"})) == []  # a field filter matches whole fields only
    assert set(names(client.get("/bases/", {"authority": reg.mianyang.pk}))) == {"绵阳市级"}


def test_counts_per_filter_value(client, reg):
    reg.base(name="a", level="municipal")
    reg.base(name="b", level="municipal", region="510703", authority=reg.mianyang)
    reg.base(name="c", level="provincial", authority=reg.province)
    facets = client.get("/bases/", {"prefecture": "510100"}).context["facets"]
    levels = {value: n for value, _label, n in facets["levels"]}
    assert levels["municipal"] == 1 and levels["provincial"] == 1
    prefectures = {code: n for code, _name, n in facets["prefectures"]}
    assert prefectures["510100"] == 2 and prefectures["510700"] == 1  # the city facet ignores the city filter


def test_revoked_bases_are_hidden_unless_asked_for(client, reg):
    reg.base(name="正常基地")
    reg.base(name="整改基地", status="rectification")
    reg.base(name="撤销基地", status="revoked")
    assert set(names(client.get("/"))) == {"正常基地", "整改基地"}
    assert names(client.get("/bases/", {"status": "revoked"})) == ["撤销基地"]
    assert len(names(client.get("/bases/", {"status": "all"}))) == 3


def test_sort_and_filter_state_live_in_the_url(client, reg):
    reg.base(name="乙基地", recognised="2020-01-01")
    reg.base(name="甲基地", recognised="2025-01-01")
    assert names(client.get("/bases/")) == ["甲基地", "乙基地"]
    response = client.get("/bases/", {"sort": "name", "level": "municipal"})
    assert names(response) == sorted(["甲基地", "乙基地"])
    assert "level=municipal" in response.content.decode()  # pagination and sort links keep the filters


def test_bad_query_values_are_ignored_not_500(client, reg):
    reg.base()
    response = client.get(
        "/bases/",
        {"level": "x' OR 1=1", "prefecture": "abc", "authority": "-1;", "sort": "drop", "page": "9999"},
    )
    assert response.status_code == 200


def test_profile_shows_public_facts_fees_partners_and_timeline_without_personal_data(client, reg):
    from bases.models import FeeStandard, Partner

    base = reg.base(name="档案基地")
    FeeStandard.objects.create(base=base, item="面授", amount="500.00", unit="人")
    Partner.objects.create(base=base, kind="industry", name="合作企业", description="实训")
    notice_publish(
        actor=None, kind=Notice.Kind.CHANGE, title="变更公告", body="x", authority=reg.chengdu, base=base
    )
    body = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    for text in [
        "档案基地",
        "测试学院",
        "成都市人力资源和社会保障局",
        base.certificate_no,
        "面授",
        "500",
        "合作企业",
        "变更公告",
    ]:
        assert text in body
    assert reg.operator.email not in body and reg.inst.credit_code not in body


def test_registry_page_query_count_does_not_grow_with_rows(client, reg):
    reg.base(name="first")
    with CaptureQueriesContext(connection) as small:
        client.get("/bases/")
    for i in range(25):
        reg.base(
            name=f"base{i}",
            region="510703" if i % 2 else "510107",
            authority=reg.mianyang if i % 2 else reg.chengdu,
        )
    with CaptureQueriesContext(connection) as large:
        client.get("/bases/")
    assert len(large) == len(small)


def test_api_lists_and_filters_with_a_fixed_number_of_queries(client, reg):
    for i in range(30):
        reg.base(
            name=f"基地{i}",
            level="provincial" if i % 3 == 0 else "municipal",
            authority=reg.province if i % 3 == 0 else reg.chengdu,
        )
    reg.base(name="撤销", status="revoked")
    body = client.get("/api/v1/bases/", {"level": "provincial"}).json()
    assert body["count"] == 10
    assert all(row["level"] == "provincial" and row["counts_as_provincial"] for row in body["results"])
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/bases/", {"page_size": 5})
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/bases/", {"page_size": 30})
    assert len(small) == len(large)
    assert client.get("/api/v1/bases/").json()["count"] == 30
    assert client.get("/api/v1/bases/", {"status": "all"}).json()["count"] == 31


def test_api_detail(client, reg):
    base = reg.base(name="接口基地")
    body = client.get(f"/api/v1/bases/{base.pk}/").json()
    assert body["name"] == "接口基地" and body["approving_authority"] == reg.chengdu.name
    assert client.get("/api/v1/bases/999999/").status_code == 404


def test_excel_export_follows_the_current_filter(client, reg):
    reg.base(name="导出甲", level="municipal")
    reg.base(name="导出乙", level="provincial", authority=reg.province)
    response = client.get(reverse("bases:export"), {"level": "provincial"})
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "基地名称"
    assert [r[0] for r in rows[1:]] == ["导出乙"]


def test_feed_is_valid_atom(client, reg):
    base = reg.base()
    notice_publish(
        actor=None,
        kind=Notice.Kind.CHANGE,
        title="关于变更的公告",
        body="内容",
        authority=reg.chengdu,
        base=base,
    )
    response = client.get(reverse("bases:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:id", ns) is not None and root.find("a:updated", ns) is not None
    entry = root.find("a:entry", ns)
    assert entry.find("a:title", ns).text == "关于变更的公告"
    for tag in ["id", "updated", "link"]:
        assert entry.find(f"a:{tag}", ns) is not None


def test_notices_filter_by_kind_and_authority(client, reg):
    notice_publish(actor=None, kind=Notice.Kind.CHANGE, title="甲", body="x", authority=reg.chengdu)
    notice_publish(actor=None, kind=Notice.Kind.REGISTRATION, title="乙", body="x", authority=reg.province)
    page = client.get(reverse("bases:notices"), {"kind": "change"}).context["page"]
    assert [n.title for n in page.object_list] == ["甲"]
    page = client.get(reverse("bases:notices"), {"authority": reg.province.pk}).context["page"]
    assert [n.title for n in page.object_list] == ["乙"]


def test_anonymous_public_pages_are_cached_for_a_minute(client, reg, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    reg.base(name="缓存基地")
    with CaptureQueriesContext(connection) as first:
        client.get("/bases/")
    with CaptureQueriesContext(connection) as second:
        assert "缓存基地" in client.get("/bases/").content.decode()
    assert len(first) > 0 and len(second) == 0
    client.force_login(reg.operator)
    with CaptureQueriesContext(connection) as signed_in:
        client.get("/bases/")
    assert len(signed_in) > 0


def test_provincial_filter_includes_national_bases_with_their_own_label(client, reg):
    """R-36: national bases count as provincial in the filter (page, counts, API) but show as national."""
    reg.base(name="省级基地", level="provincial", authority=reg.province)
    reg.base(name="国家级基地", level="national", authority=reg.province)
    reg.base(name="市级基地", level="municipal")
    response = client.get("/bases/", {"level": "provincial", "sort": "name"})
    assert set(names(response)) == {"省级基地", "国家级基地"}
    levels = {value: (label, n) for value, label, n in response.context["facets"]["levels"]}
    assert levels["provincial"] == ("省级（含国家级）", 2) and levels["national"] == ("国家级", 1)
    rows = response.content.decode()
    assert "国家级基地" in rows and ">国家级</td>" in rows and ">省级</td>" in rows
    api = client.get("/api/v1/bases/", {"level": "provincial"}).json()["results"]
    assert {(r["name"], r["level"], r["level_display"], r["counts_as_provincial"]) for r in api} == {
        ("省级基地", "provincial", "省级", True),
        ("国家级基地", "national", "国家级", True),
    }
    assert [r["name"] for r in client.get("/api/v1/bases/", {"level": "national"}).json()["results"]] == [
        "国家级基地"
    ]


def test_changes_keep_the_search_columns_current_and_the_migration_fills_stale_ones(reg):
    """A base with empty registry columns (before the fix) is back-filled by migration 0004."""
    import importlib

    from django.apps import apps

    from bases.models import Base

    fill = importlib.import_module("bases.migrations.0004_fill_registry_index").fill_registry_index
    base = reg.base(name="蓉城回填基地", region="510107", fields=["数字经济"])
    expected = Base.objects.values("prefecture_id", "fields_text", "search_text").get(pk=base.pk)
    Base.objects.filter(pk=base.pk).update(prefecture=None, fields_text="", search_text="")
    fill(apps, None)
    assert Base.objects.values("prefecture_id", "fields_text", "search_text").get(pk=base.pk) == expected
    assert expected["prefecture_id"] == "510100" and "蓉城回填基地" in expected["search_text"]
