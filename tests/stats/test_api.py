"""GET /api/v1/statistics/<section>/: the figures of the caller's jurisdiction, 403/404/400 otherwise."""

import pytest

from accounts.models import Role
from tests.factories import member

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    w = world
    bases = [
        w.base(level="national", authority=w.province),
        w.base(),
        w.base(authority=w.mianyang, prefecture="510700", institution=w.other_institution),
    ]
    w.plan(bases[1], state="filed", late=True)
    klass = w.klass(bases[2])
    w.record(klass, w.person(), 90)
    return bases


def get(client, user, section, **params):
    client.force_login(user)
    return client.get(f"/api/v1/statistics/{section}/", {"year": YEAR, **params})


def test_bases_by_prefecture_agree_with_the_registry(client, provincial_admin, spread):
    answer = get(client, provincial_admin, "bases", group_by="prefecture")
    assert answer.status_code == 200
    rows = {r["key"]: r for r in answer.json()}
    assert set(rows["510100"]) == {"key", "label", "count"}
    client.logout()
    for code in ("510100", "510700"):
        assert client.get("/api/v1/bases/", {"prefecture": code}).json()["count"] == rows[code]["count"]
    assert answer["X-Computed-At"]


def test_bases_by_level_count_national_as_provincial(client, provincial_admin, spread):
    rows = {r["key"]: r["count"] for r in get(client, provincial_admin, "bases", group_by="level").json()}
    assert rows["provincial"] == 1 and rows["national"] == 1


@pytest.mark.parametrize(
    ("section", "group_by", "fields"),
    [
        ("plans", "authority", {"filed", "late", "missing", "rate", "submitted"}),
        ("supervision", "item", {"average"}),
        ("hours", "month", {"persons", "hours", "general_hours", "professional_hours", "compliant_persons"}),
    ],
)
def test_each_section_answers_rows_of_its_shape(client, provincial_admin, spread, section, group_by, fields):
    answer = get(client, provincial_admin, section, group_by=group_by)
    assert answer.status_code == 200, answer.content
    assert {"key", "label", "count", *fields} <= set(answer.json()[0])


def test_hours_of_a_municipal_reviewer_are_its_own(client, my_reviewer, cd_reviewer, spread):
    mine = get(client, my_reviewer, "hours", group_by="base").json()
    assert [r["key"] for r in mine] == [str(spread[2].pk)] and mine[0]["compliant_persons"] == 1
    assert get(client, cd_reviewer, "hours", group_by="base").json() == []


def test_plans_of_a_municipal_reviewer_never_show_another_prefecture(client, my_reviewer, world, spread):
    rows = get(client, my_reviewer, "plans", group_by="prefecture").json()
    assert {r["key"]: r["count"] for r in rows}["510100"] == 0
    assert {r["key"] for r in get(client, my_reviewer, "plans", group_by="authority").json()} == {
        str(world.mianyang.pk)
    }


def test_another_authoritys_filter_is_404(client, my_reviewer, world, spread):
    answer = get(client, my_reviewer, "bases", authority=world.chengdu.pk)
    assert answer.status_code == 404 and answer.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "colour"}, "group_by"),
        ({"year": "twenty"}, "year"),
        ({"year": "1900"}, "year"),
        ({"authority": "-1"}, "authority"),
        ({"authority": "99999999999"}, "authority"),
        ({"prefecture": "abc"}, "prefecture"),
        ({"prefecture": "51\x000100"}, None),  # refused by the portal's NUL guard before the view
    ],
)
def test_bad_parameters_are_400_with_field_errors(client, provincial_admin, params, field):
    answer = get(client, provincial_admin, "bases", **params)
    assert answer.status_code == 400
    assert answer.json()["detail"]
    if field:
        assert field in answer.json()


def test_an_unknown_prefecture_is_404(client, provincial_admin):
    assert get(client, provincial_admin, "hours", prefecture="519900").status_code == 404


def test_roles_without_statistics_are_403(client, expert):
    assert get(client, expert, "bases").status_code == 403


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/statistics/bases/").status_code in (401, 403)


def test_an_institution_reads_its_own_bases(client, world, spread):
    user = member(world.other_institution, Role.INSTITUTION_ADMIN)
    rows = {r["key"]: r["count"] for r in get(client, user, "bases", group_by="prefecture").json()}
    assert rows["510700"] == 1 and sum(rows.values()) == 1


def test_the_schema_documents_the_statistics(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/v1/statistics/hours/"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"year", "group_by", "authority", "prefecture"}


@pytest.mark.parametrize(
    ("section", "group_by"), [("bases", "field"), ("plans", "prefecture"), ("hours", "base")]
)
def test_api_queries_do_not_grow_with_rows(client, provincial_admin, world, section, group_by):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(n):
        for _ in range(n):
            base = world.base(fields=("工程技术", "卫生健康"))
            world.plan(base, state="filed")
            world.record(world.klass(base), world.person(), 10)

    client.force_login(provincial_admin)
    rows(2)
    with CaptureQueriesContext(connection) as few:
        assert get(client, provincial_admin, section, group_by=group_by).status_code == 200
    rows(10)
    with CaptureQueriesContext(connection) as many:
        assert get(client, provincial_admin, section, group_by=group_by).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
