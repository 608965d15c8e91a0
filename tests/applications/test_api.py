"""The applications API: filters, create/update while draft or returned, transitions (409/403/404), history,
and the public notices. Bad input answers 400 with field errors, never 500."""

import pytest
from rest_framework.test import APIClient

from applications.models import Application
from bases.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_list_is_limited_to_what_the_user_may_see_and_filters(api, world):
    mine = world.submitted()
    world.draft(batch=world.sc_batch)
    body = as_user(api, world.cd_reviewer).get("/api/v1/applications/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["state"] == "submitted"
    assert as_user(api, world.my_reviewer).get("/api/v1/applications/").json()["count"] == 0
    op = as_user(api, world.operator)
    assert op.get("/api/v1/applications/", {"state": "draft"}).json()["count"] == 1
    assert op.get("/api/v1/applications/", {"batch": world.sc_batch.pk}).json()["count"] == 1
    assert op.get("/api/v1/applications/", {"level": "municipal"}).json()["count"] == 1
    assert op.get("/api/v1/applications/", {"region": "510100"}).json()["count"] == 2
    assert op.get("/api/v1/applications/", {"priority": "true"}).json()["count"] == 0


def test_bad_filter_is_400_not_500(api, world):
    response = as_user(api, world.operator).get("/api/v1/applications/", {"state": "nonsense", "batch": "x"})
    assert response.status_code == 400
    assert "state" in response.json()


def test_retrieve_another_authoritys_application_is_404(api, world):
    app = world.submitted()
    assert as_user(api, world.my_reviewer).get(f"/api/v1/applications/{app.pk}/").status_code == 404
    detail = as_user(api, world.cd_reviewer).get(f"/api/v1/applications/{app.pk}/").json()
    assert set(detail["available_actions"]) == {"start_review", "return", "reject"}
    assert all(c["met"] for c in detail["checklist"])


def test_create_and_patch_a_draft(api, world):
    client = as_user(api, world.operator)
    response = client.post("/api/v1/applications/", {"batch": world.cd_batch.pk}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    patch = client.patch(
        f"/api/v1/applications/{pk}/",
        {
            "base_name": "接口基地",
            "fields": ["数字经济", "智能制造"],
            "trainees_year3": 2100,
            "staff": [
                {
                    "name": "张三",
                    "title": "教授",
                    "field": "数字经济",
                    "category": "teacher",
                    "employment": "full_time",
                }
            ],
        },
        format="json",
    )
    assert patch.status_code == 200, patch.json()
    body = patch.json()
    assert body["base_name"] == "接口基地"
    assert body["fields"] == ["数字经济", "智能制造"]
    assert body["staff_counts"]["full_time_teachers"] == 1


def test_patch_with_bad_values_is_400_with_field_errors_and_changes_nothing(api, world):
    app = world.draft()
    client = as_user(api, world.operator)
    response = client.patch(
        f"/api/v1/applications/{app.pk}/",
        {
            "base_name": "新名称",
            "trainees_year3": -5,
            "platform_url": "not a url",
            "staff": [{"name": "", "category": "x"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"trainees_year3", "platform_url", "staff"} <= set(response.json())
    app.refresh_from_db()
    assert app.base_name == ""
    assert not app.staff.exists()


def test_patch_of_a_submitted_application_is_409(api, world):
    app = world.submitted()
    response = as_user(api, world.operator).patch(
        f"/api/v1/applications/{app.pk}/", {"base_name": "改名"}, format="json"
    )
    assert response.status_code == 409
    assert Application.objects.get(pk=app.pk).base_name == "测试继续教育基地"


def test_create_for_another_institution_is_400(api, world):
    response = as_user(api, world.operator).post(
        "/api/v1/applications/",
        {"batch": world.cd_batch.pk, "institution": world.other_inst.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "institution" in response.json()


def test_transitions_answer_409_403_404_and_200(api, world):
    app = world.submitted()
    url = f"/api/v1/applications/{app.pk}/transitions/"
    assert (
        as_user(api, world.cd_reviewer)
        .post(url, {"action": "approve", "comment": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        as_user(api, world.my_reviewer).post(url, {"action": "start_review"}, format="json").status_code
        == 404
    )
    assert (
        as_user(api, world.cd_reviewer).post(url, {"action": "pass_formal_review"}, format="json").status_code
        == 409
    )
    ok = as_user(api, world.cd_reviewer).post(
        url, {"action": "start_review", "comment": "受理"}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "formal_review"
    ret = as_user(api, world.cd_reviewer).post(
        url, {"action": "return", "section_comments": {"staff": "请补充职称证明"}}, format="json"
    )
    assert ret.status_code == 200 and ret.json()["state"] == "returned"


def test_transition_with_bad_input_is_400(api, world):
    app = world.submitted()
    url = f"/api/v1/applications/{app.pk}/transitions/"
    client = as_user(api, world.cd_reviewer)
    assert set(client.post(url, {}, format="json").json()) == {"detail", "action"}
    bad = client.post(url, {"action": "return", "section_comments": {"nowhere": "x"}}, format="json")
    assert bad.status_code == 400 and "section_comments" in bad.json()
    assert client.post(url, {"action": "explode"}, format="json").status_code == 400


def test_submit_with_unmet_conditions_is_409_and_lists_them(api, world):
    app = world.draft()
    response = as_user(api, world.operator).post(
        f"/api/v1/applications/{app.pk}/transitions/", {"action": "submit"}, format="json"
    )
    assert response.status_code == 409
    assert len(response.json()["unmet"]) >= 8


def test_history_lists_the_audit_events(api, world):
    app = world.to_state("formal_review")
    body = as_user(api, world.operator).get(f"/api/v1/applications/{app.pk}/history/").json()
    actions = [e["action"] for e in body]
    assert "application.submit" in actions and "application.start_review" in actions
    review = next(e for e in body if e["action"] == "application.start_review")
    assert (review["action_label"], review["from_state_label"], review["to_state_label"]) == (
        "受理并开始形式审核",
        "已提交",
        "形式审核",
    )
    assert (
        as_user(api, world.other_operator).get(f"/api/v1/applications/{app.pk}/history/").status_code == 404
    )


def test_batches_api_lists_open_batches_to_institutions_and_lets_admins_create(api, world):
    titles = {b["title"] for b in as_user(api, world.operator).get("/api/v1/batches/").json()["results"]}
    assert titles == {"成都批次", "省级批次"}
    from django.utils import timezone

    now = timezone.now()
    response = as_user(api, world.cd_admin).post(
        "/api/v1/batches/",
        {
            "title": "新批次",
            "approving_authority": world.chengdu.pk,
            "opens_at": now.isoformat(),
            "closes_at": (now - timezone.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "closes_at" in response.json()
    forbidden = as_user(api, world.cd_reviewer).post(
        "/api/v1/batches/",
        {
            "title": "新批次",
            "approving_authority": world.chengdu.pk,
            "opens_at": now.isoformat(),
            "closes_at": (now + timezone.timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert forbidden.status_code == 403


def test_notices_are_public(api, world):
    world.to_state("publicity")
    api.force_authenticate(None)
    body = api.get("/api/v1/notices/").json()
    assert body["count"] == 1
    assert body["results"][0]["kind"] == "publicity"
    assert api.get("/api/v1/notices/", {"kind": "recognition"}).json()["count"] == 0
    assert Notice.objects.count() == 1
