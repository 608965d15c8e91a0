"""The API of 论证 and 评审 (issue 18): the scoped expert pool, the random draw with its seed, the ranked panel
sheet and the panel's resolutions, and the new states in the transition endpoint. Refusals answer 400 with
field errors, 403, 404 or 409, never 500."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organization, Role
from applications import services
from applications.models import Application, ExpertProfile
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def pool(world):
    experts = []
    for i in range(5):
        user = member(world.pool, Role.EXPERT, username=f"api_pool{i}")
        ExpertProfile.objects.create(user=user, fields=["数字经济"], title="教授", employer_name=f"单位{i}")
        experts.append(user)
    return experts


def test_the_expert_list_is_scoped_to_the_pools_open_to_the_user(api, world, pool):
    other_pool = OrganizationFactory(
        name="绵阳专家库", kind=Organization.Kind.EXPERT_POOL, region_id="510700", parent=world.mianyang
    )
    outsider = member(other_pool, Role.EXPERT, username="my_expert")
    chengdu = {row["id"] for row in as_user(api, world.cd_reviewer).get("/api/v1/experts/").json()["results"]}
    assert {u.pk for u in pool} <= chengdu and outsider.pk not in chengdu
    mianyang = {
        row["id"] for row in as_user(api, world.my_reviewer).get("/api/v1/experts/").json()["results"]
    }
    assert outsider.pk in mianyang
    row = as_user(api, world.cd_reviewer).get(f"/api/v1/experts/{pool[0].pk}/").json()
    assert (row["title"], row["fields"], row["employer"], row["available"]) == (
        "教授",
        ["数字经济"],
        "单位0",
        True,
    )
    assert as_user(api, world.cd_reviewer).get(f"/api/v1/experts/{outsider.pk}/").status_code == 404
    mine = as_user(api, pool[1]).get("/api/v1/experts/").json()["results"]
    assert [r["id"] for r in mine] == [pool[1].pk]
    assert as_user(api, world.operator).get("/api/v1/experts/").json()["count"] == 0


def test_a_draw_answers_the_experts_and_the_recorded_seed(api, world, pool):
    app = world.to_state("demonstration")
    url = f"/api/v1/applications/{app.pk}/expert-draws/"
    response = as_user(api, world.cd_reviewer).post(url, {"count": 3, "seed": 99}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["seed"] == 99 and len(body["experts"]) == 3
    assert {e["id"] for e in body["experts"]} == set(app.assignments.values_list("expert_id", flat=True))
    assert services.draw_pick(body["candidates"], 3, 99, {}) == [e["id"] for e in body["experts"]]
    generated = world.to_state("demonstration", **world.applicant("乙学院"))
    body = (
        as_user(api, world.cd_reviewer)
        .post(f"/api/v1/applications/{generated.pk}/expert-draws/", {}, format="json")
        .json()
    )
    assert body["seed"] > 0 and body["count"] == 3


def test_the_draw_endpoint_refuses_bad_input_roles_jurisdictions_and_states(api, world, pool):
    app = world.to_state("demonstration")
    url = f"/api/v1/applications/{app.pk}/expert-draws/"
    reviewer = as_user(api, world.cd_reviewer)
    for bad in ({"count": 2}, {"count": "x"}, {"seed": -1}, {"count": 99}):
        response = reviewer.post(url, bad, format="json")
        assert response.status_code == 400 and "detail" in response.json(), bad
    assert as_user(api, world.cd_reviewer).post(url, {"count": 6}, format="json").status_code == 400
    assert as_user(api, world.cd_approver).post(url, {}, format="json").status_code == 403
    assert as_user(api, world.my_reviewer).post(url, {}, format="json").status_code == 404
    early = world.to_state("formal_review", **world.applicant("早期学院"))
    response = as_user(api, world.cd_reviewer).post(
        f"/api/v1/applications/{early.pk}/expert-draws/", {}, format="json"
    )
    assert response.status_code == 409
    assert not app.assignments.exists()


def test_the_panel_sheet_and_its_resolutions(api, world, django_capture_on_commit_callbacks):
    low = world.to_state("panel_review", scores=(10, 10, 10), **world.applicant("低分学院"))
    high = world.to_state("panel_review", scores=(25, 25, 25), **world.applicant("高分学院"))
    url = f"/api/v1/batches/{world.cd_batch.pk}/panel/"
    rows = as_user(api, world.cd_approver).get(url).json()
    assert [(r["rank"], r["application"]) for r in rows] == [(1, high.pk), (2, low.pk)]
    assert rows[0]["score_mean"] == "84.00" and rows[0]["resolution"] is None
    assert as_user(api, world.my_reviewer).get(url).status_code == 404
    assert as_user(api, world.operator).get(url).status_code == 404

    post = f"/api/v1/batches/{world.cd_batch.pk}/panel/resolutions/"
    today = timezone.localdate().isoformat()
    body = {
        "held_on": today,
        "members": "评审组",
        "resolutions": [
            {"application": high.pk, "passed": True, "votes_for": 7},
            {"application": low.pk, "passed": False, "votes_for": 1, "votes_against": 6},
        ],
    }
    assert as_user(api, world.cd_approver).post(post, body, format="json").status_code == 403
    assert as_user(api, world.my_reviewer).post(post, body, format="json").status_code == 404
    bad = as_user(api, world.cd_reviewer).post(post, {**body, "resolutions": []}, format="json")
    assert bad.status_code == 400 and "resolutions" in bad.json()
    bad = as_user(api, world.cd_reviewer).post(
        post, {**body, "resolutions": [{"application": high.pk, "passed": "maybe"}]}, format="json"
    )
    assert bad.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api, world.cd_reviewer).post(post, body, format="json")
    assert response.status_code == 201
    out = response.json()
    assert {r["application"]: r["resolution"]["passed"] for r in out["rows"]} == {
        high.pk: True,
        low.pk: False,
    }
    assert set(Application.objects.filter(pk__in=[high.pk, low.pk]).values_list("state", flat=True)) == {
        "decision"
    }
    again = as_user(api, world.cd_reviewer).post(post, body, format="json")
    assert again.status_code == 409 and str(high.pk) in again.json()


def test_the_transition_endpoint_runs_the_new_states(api, world):
    app = world.to_state("site_visit_passed")
    url = f"/api/v1/applications/{app.pk}/transitions/"
    detail = as_user(api, world.cd_reviewer).get(f"/api/v1/applications/{app.pk}/").json()
    assert "complete_site_visit" in detail["available_actions"]
    response = as_user(api, world.cd_reviewer).post(url, {"action": "complete_site_visit"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "panel_review"
    response = as_user(api, world.cd_reviewer).post(url, {"action": "record_panel_resolution"}, format="json")
    assert response.status_code == 400 and "resolution" in response.json()
    assert (
        as_user(api, world.cd_approver)
        .post(url, {"action": "approve", "comment": "x"}, format="json")
        .status_code
        == 409
    )
