"""The inspection and assessment transitions of the API: score, confirm, and each refusal's status."""

import datetime

import pytest

from audit.models import AuditEvent
from inspections import services
from inspections.models import ITEM_KEYS, Assessment, Inspection, Rectification
from tests.inspections.conftest import TODAY, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return World()


def post(client, user, url, body):
    client.force_login(user)
    return client.post(url, body, content_type="application/json")


def score_body(w, value=85, **changes):
    body = {
        "action": "score",
        "inspected_on": TODAY.isoformat(),
        "inspectors": [w.cd_reviewer.pk, w.cd_reviewer2.pk],
        "scores": dict.fromkeys(ITEM_KEYS, value),
        "notes": {"fees": "收费标准已公开"},
        "conclusion": "总体良好",
    }
    return body | changes


def inspection_url(insp):
    return f"/api/v1/inspections/{insp.pk}/transitions/"


def test_reviewer_scores_an_inspection_and_the_scoring_is_audited(client, w):
    insp = w.spot().inspections.get()
    response = post(client, w.cd_reviewer, inspection_url(insp), score_body(w))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "scored" and body["result"] == "qualified" and body["average"] == "85.0"
    assert {i["item"]: i["notes"] for i in body["items"]}["fees"] == "收费标准已公开"
    insp.refresh_from_db()
    assert set(insp.inspectors.all()) == {w.cd_reviewer, w.cd_reviewer2}
    assert AuditEvent.objects.filter(
        action="inspection.scored", object_id=str(insp.pk), actor=w.cd_reviewer
    ).exists()


def test_approver_confirms_an_unqualified_inspection_with_a_rectification_order(client, w):
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    deadline = TODAY + datetime.timedelta(days=30)
    response = post(
        client,
        w.cd_approver,
        inspection_url(insp),
        {"action": "confirm", "rectification_items": "补齐师资", "deadline": deadline.isoformat()},
    )
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    assert Rectification.objects.get(inspection=insp).deadline == deadline
    assert AuditEvent.objects.filter(action="inspection.confirmed", object_id=str(insp.pk)).exists()


def test_scoring_by_an_approver_is_403(client, w):
    insp = w.spot().inspections.get()
    response = post(client, w.cd_approver, inspection_url(insp), score_body(w))
    assert response.status_code == 403 and response.json()["detail"]
    assert Inspection.objects.get(pk=insp.pk).state == "planned"


def test_an_inspection_of_another_jurisdiction_is_404(client, w):
    insp = w.spot().inspections.get()
    assert post(client, w.my_reviewer, inspection_url(insp), score_body(w)).status_code == 404
    assert (
        post(
            client, w.operator, f"/api/v1/inspections/{insp.pk + 1000}/transitions/", score_body(w)
        ).status_code
        == 404
    )


def test_confirming_an_unscored_inspection_is_409(client, w):
    insp = w.spot().inspections.get()
    response = post(client, w.cd_approver, inspection_url(insp), {"action": "confirm"})
    assert response.status_code == 409
    assert not AuditEvent.objects.filter(action="inspection.confirmed").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"scores": dict.fromkeys(ITEM_KEYS[:8], 80)}, "scores"),
        ({"scores": dict.fromkeys(ITEM_KEYS, 101)}, "scores"),
        ({"inspectors": [999_999]}, "inspectors"),
        ({"inspected_on": "2099-01-01"}, "inspected_on"),
        ({"action": "explode"}, "action"),
    ],
)
def test_bad_scoring_input_is_400_with_field_errors_and_changes_nothing(client, w, changes, field):
    insp = w.spot().inspections.get()
    response = post(client, w.cd_reviewer, inspection_url(insp), score_body(w, **changes))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and field in body
    insp.refresh_from_db()
    assert insp.state == "planned" and not insp.scores.exists()
    assert not AuditEvent.objects.filter(action="inspection.scored").exists()


def test_a_single_inspector_is_refused_by_the_service_with_a_field_error(client, w):
    insp = w.spot().inspections.get()
    response = post(client, w.cd_reviewer, inspection_url(insp), score_body(w, inspectors=[w.cd_reviewer.pk]))
    assert response.status_code == 400 and "inspectors" in response.json()


def proposed(w):
    created = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)
    return next(a for a in created if a.base == w.b)


def assessment_url(a):
    return f"/api/v1/assessments/{a.pk}/transitions/"


# A base without records is proposed unqualified; confirming it as qualified needs a written reason.
CONFIRM = {"action": "confirm", "rating": "qualified", "reason": "考虑公益性培训贡献"}


def test_approver_confirms_a_changed_rating_with_its_reason_and_it_is_audited(client, w):
    a = proposed(w)
    response = post(client, w.cd_approver, assessment_url(a), CONFIRM)
    assert response.status_code == 200
    assert response.json()["state"] == "confirmed" and response.json()["rating"] == "qualified"
    assert response.json()["change_reason"] == "考虑公益性培训贡献"
    assert AuditEvent.objects.filter(
        action="assessment.confirmed", object_id=str(a.pk), actor=w.cd_approver
    ).exists()


def test_an_unqualified_rating_orders_a_rectification(client, w):
    a = proposed(w)
    deadline = (TODAY + datetime.timedelta(days=60)).isoformat()
    body = {
        "action": "confirm",
        "rating": "unqualified",
        "reason": "年度计划未执行",
        "rectification_items": "执行年度计划",
        "deadline": deadline,
    }
    assert post(client, w.cd_approver, assessment_url(a), body).status_code == 200
    assert Rectification.objects.get(assessment=a).items == "执行年度计划"


def test_assessment_confirmation_by_a_reviewer_is_403(client, w):
    a = proposed(w)
    response = post(client, w.cd_reviewer, assessment_url(a), CONFIRM)
    assert response.status_code == 403
    assert Assessment.objects.get(pk=a.pk).state == "proposed"


def test_an_assessment_of_another_jurisdiction_is_404(client, w):
    a = proposed(w)
    response = post(client, w.my_approver, assessment_url(a), CONFIRM)
    assert response.status_code == 404


def test_confirming_a_confirmed_assessment_is_409(client, w):
    a = proposed(w)
    assert post(client, w.cd_approver, assessment_url(a), CONFIRM).status_code == 200
    assert post(client, w.cd_approver, assessment_url(a), CONFIRM).status_code == 409
    assert AuditEvent.objects.filter(action="assessment.confirmed").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "confirm", "rating": "superb"}, "rating"),
        ({"action": "confirm", "rating": "unqualified", "reason": "差"}, "rectification_items"),
        ({"action": "score"}, "action"),
        ({"rating": "good"}, "action"),
    ],
)
def test_bad_assessment_input_is_400_with_field_errors_and_changes_nothing(client, w, body, field):
    a = proposed(w)
    response = post(client, w.cd_approver, assessment_url(a), body)
    assert response.status_code == 400 and field in response.json() and response.json()["detail"]
    a.refresh_from_db()
    assert a.state == "proposed" and a.rating == a.proposed_rating
    assert not Rectification.objects.exists()
