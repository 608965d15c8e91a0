"""The cockpit's pages: who may open them, what they show, the exports (R-03)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    w = world
    bases = [
        w.base(level="national", authority=w.province, fields=("=HYPERLINK(1)",)),
        w.base(),
        w.base(authority=w.mianyang, prefecture="510700", institution=w.other_institution),
    ]
    w.plan(bases[1], state="filed")
    klass = w.klass(bases[2])
    w.record(klass, w.person(), 90)
    return bases


def test_the_provincial_department_sees_the_dashboard_with_every_table(client, provincial_admin, spread):
    client.force_login(provincial_admin)
    response = client.get(reverse("stats:dashboard"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="stats-table"') == 17
    assert "stats-map-data" in html and "vendor/echarts/echarts.min.js" in html
    assert response.context["figures"]["bases"]["recognised"] == 3
    assert [r["bases"] for r in response.context["map_rows"] if r["code"] == "510700"] == [1]


def test_a_municipal_reviewer_sees_only_its_prefecture(client, my_reviewer, spread):
    client.force_login(my_reviewer)
    response = client.get(reverse("stats:dashboard"), {"year": YEAR})
    assert response.context["figures"]["bases"]["recognised"] == 1
    rows = {r["code"]: r["bases"] for r in response.context["map_rows"]}
    assert rows["510100"] == 0 and rows["510700"] == 1
    assert spread[1].name not in response.content.decode()


def test_another_authoritys_filter_is_404_and_bad_input_400(client, my_reviewer, world, spread):
    client.force_login(my_reviewer)
    url = reverse("stats:dashboard")
    assert client.get(url, {"authority": world.chengdu.pk}).status_code == 404
    assert client.get(url, {"year": "abc"}).status_code == 400
    assert client.get(url, {"prefecture": "x"}).status_code == 400
    assert client.get(reverse("stats:export"), {"table": "nope"}).status_code == 400
    assert (
        client.get(
            reverse("stats:export"), {"table": "bases.level", "authority": world.chengdu.pk}
        ).status_code
        == 404
    )


def test_roles_without_statistics_get_403(client, expert, inst_admin):
    for user in (expert, inst_admin):
        client.force_login(user)
        assert client.get(reverse("stats:dashboard")).status_code == 403
    client.force_login(expert)
    assert client.get(reverse("stats:export"), {"table": "bases.level"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("stats:dashboard")).status_code == 302


@pytest.mark.parametrize(
    "table", ["bases.prefecture", "plans.authority", "hours.month", "applications", "plans.missing"]
)
def test_every_table_exports_to_excel(client, provincial_admin, spread, table):
    client.force_login(provincial_admin)
    response = client.get(reverse("stats:export"), {"table": table, "year": YEAR})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row >= 1


def test_the_export_escapes_formulas(client, provincial_admin, spread):
    client.force_login(provincial_admin)
    response = client.get(reverse("stats:export"), {"table": "bases.field", "year": YEAR})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values


def test_the_dashboard_queries_do_not_grow_with_rows(client, provincial_admin, world):
    client.force_login(provincial_admin)
    url = reverse("stats:dashboard")
    for _ in range(2):
        b = world.base()
        world.plan(b, state="filed")
        world.record(world.klass(b), world.person(), 10)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": YEAR})
    for _ in range(10):
        b = world.base(prefecture="513300")
        world.plan(b, state="filed")
        world.record(world.klass(b), world.person(), 10)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"year": YEAR})
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_open_data_page_and_downloads_hold_no_personal_data(client, spread):
    response = client.get(reverse("stats:public"), {"year": YEAR})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="stats-table"') == 5
    csv = client.get(
        reverse("stats:public_download"), {"table": "bases.level", "format": "csv", "year": YEAR}
    )
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "national" in text and "人" not in text
    xlsx = client.get(reverse("stats:public_download"), {"table": "supervision.rating", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert (
        client.get(reverse("stats:public_download"), {"table": "hours.base", "format": "csv"}).status_code
        == 400
    )
    assert (
        client.get(reverse("stats:public_download"), {"table": "bases.level", "format": "pdf"}).status_code
        == 400
    )
    assert client.get(reverse("stats:public"), {"year": "x"}).status_code == 400


def test_an_institution_reads_its_own_bases_figures_on_the_base_page(client, world, spread):
    from accounts.models import Role
    from tests.factories import member

    owner = member(world.other_institution, Role.BASE_OPERATOR)
    client.force_login(owner)
    mine = client.get(reverse("stats:base", args=[spread[2].pk]), {"year": YEAR})
    assert mine.status_code == 200
    assert mine.context["figures"]["hours"]["hours"] == 90.0
    assert mine.context["figures"]["bases"]["recognised"] == 1
    assert client.get(reverse("stats:base", args=[spread[1].pk])).status_code == 404  # another institution's
    assert client.get(reverse("stats:base", args=[spread[1].pk]), {"year": "x"}).status_code == 400


def test_an_authority_reads_a_base_page_of_its_jurisdiction_only(client, my_reviewer, expert, spread):
    client.force_login(my_reviewer)
    assert client.get(reverse("stats:base", args=[spread[2].pk])).status_code == 200
    assert client.get(reverse("stats:base", args=[spread[1].pk])).status_code == 404
    client.force_login(expert)
    assert client.get(reverse("stats:base", args=[spread[2].pk])).status_code == 403
