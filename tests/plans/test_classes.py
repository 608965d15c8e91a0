"""Training classes run only under a filed plan of their year (R-23); quality evaluations (R-24)."""

import datetime

import pytest

from kit.errors import InvalidInput, NotVisible, WrongState
from plans import services
from plans.models import TrainingClass
from tests.plans.test_plans import class_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "host_review", "submitted"])
def test_class_under_a_plan_that_is_not_filed_is_refused(pw, state):
    plan = pw.to_state(state, year=2027)
    with pytest.raises(WrongState, match="尚未备案"):
        services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2027))
    assert not TrainingClass.objects.exists()


def test_class_outside_the_plan_year_is_refused(pw):
    plan = pw.to_state("filed", year=2027)
    with pytest.raises(InvalidInput) as exc:
        services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2028))
    assert "计划年度" in exc.value.field_errors["starts_on"][0]
    with pytest.raises(InvalidInput):
        services.class_create(
            actor=pw.operator,
            plan_item=plan.items.get(),
            data=class_data(2027, starts_on=datetime.date(2026, 12, 30)),
        )


def test_class_under_a_filed_plan_is_created_with_its_year(pw):
    plan = pw.to_state("filed", year=2027)
    klass = services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2027))
    assert (klass.year, klass.base, klass.status) == (2027, pw.b, "open")


def test_another_base_cannot_open_a_class_under_my_plan(pw):
    plan = pw.to_state("filed", year=2027)
    with pytest.raises(NotVisible):
        services.class_create(actor=pw.other_operator, plan_item=plan.items.get(), data=class_data(2027))


def test_after_an_amendment_is_filed_classes_go_under_it(pw):
    plan = pw.to_state("filed", year=2026, today=datetime.date(2026, 1, 5))
    amendment = services.amendment_create(actor=pw.operator, plan=plan, today=datetime.date(2026, 6, 1))
    services.plan_update(actor=pw.operator, plan=amendment, amendment_reason="调整")
    from plans import workflow

    workflow.MACHINE.run(amendment, "submit_to_host", actor=pw.operator)
    workflow.MACHINE.run(amendment, "host_approve", actor=pw.host)
    workflow.MACHINE.run(amendment, "file", actor=pw.cd_reviewer)
    with pytest.raises(WrongState, match="调整计划"):
        services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2026))
    assert (
        services.class_create(actor=pw.operator, plan_item=amendment.items.get(), data=class_data(2026)).year
        == 2026
    )


def test_progress_and_evaluation(pw):
    plan = pw.to_state("filed", year=2027)
    klass = services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2027))
    with pytest.raises(WrongState, match="结束后"):
        services.class_evaluate(actor=pw.operator, klass=klass, satisfaction=90, self_assessment="好")
    with pytest.raises(WrongState):
        services.class_update_progress(
            actor=pw.operator, klass=klass, status="completed", enrolled=10, completed=10
        )
    with pytest.raises(InvalidInput):
        services.class_update_progress(
            actor=pw.operator, klass=klass, status="running", enrolled=500, completed=0
        )
    services.class_update_progress(
        actor=pw.operator, klass=klass, status="running", enrolled=100, completed=0
    )
    with pytest.raises(InvalidInput, match="人数"):
        services.class_update_progress(
            actor=pw.operator, klass=klass, status="completed", enrolled=100, completed=101
        )
    services.class_update_progress(
        actor=pw.operator, klass=klass, status="completed", enrolled=100, completed=97
    )
    with pytest.raises(InvalidInput):
        services.class_evaluate(actor=pw.operator, klass=klass, satisfaction=120, self_assessment="好")
    result = services.class_evaluate(
        actor=pw.operator, klass=klass, satisfaction="91.5", self_assessment="学员反馈良好"
    )
    assert result.satisfaction == 91.5


def test_yearly_overall_evaluation(pw):
    services.yearly_evaluation_save(actor=pw.operator, base=pw.b, year=2026, evaluation="全年培训质量良好")
    services.yearly_evaluation_save(actor=pw.operator, base=pw.b, year=2026, evaluation="修订后的评估")
    assert pw.b.yearly_evaluations.get(year=2026).evaluation == "修订后的评估"


def test_classes_api_filters(client, pw):
    plan = pw.to_state("filed", year=2027)
    services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2027))
    client.force_login(pw.cd_reviewer)
    assert client.get("/api/v1/classes/", {"year": 2027}).json()["count"] == 1
    assert client.get("/api/v1/classes/", {"year": 2026}).json()["count"] == 0
    client.force_login(pw.my_reviewer)
    assert client.get("/api/v1/classes/").json()["count"] == 0


def test_plans_api_filters_and_transitions(client, pw):
    plan = pw.to_state("submitted", now=datetime.datetime(2027, 1, 2, tzinfo=datetime.UTC))
    client.force_login(pw.cd_reviewer)
    body = client.get("/api/v1/plans/", {"year": 2027, "late": "true"}).json()
    assert [p["id"] for p in body["results"]] == [plan.pk]
    assert body["results"][0]["available_actions"] == ["file", "return"]
    url = f"/api/v1/plans/{plan.pk}/transitions/"
    assert client.post(url, {"action": "host_approve"}, content_type="application/json").status_code in (
        403,
        409,
    )
    assert client.post(url, {"action": "file"}, content_type="application/json").json()["state"] == "filed"
    assert client.post(url, {"action": "file"}, content_type="application/json").status_code == 409
    client.force_login(pw.my_reviewer)
    assert (
        client.post(url, {"action": "return", "comment": "x"}, content_type="application/json").status_code
        == 404
    )


def test_refused_class_keeps_what_was_typed_and_shows_the_error_by_the_field(client, pw):
    plan = pw.to_state("filed", year=2027)
    client.force_login(pw.operator)
    data = dict(class_data(2028))
    data.update(plan_item=plan.items.get().pk, starts_on="2028-05-01", ends_on="2028-05-03")
    response = client.post(f"/plans/{plan.pk}/classes/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="第一期"' in body and "计划年度" in body and 'id="id_starts_on_error"' in body
    assert 'min="2027-01-01"' in body and 'max="2027-12-31"' in body
    assert not TrainingClass.objects.exists()
