"""Issue 13, "The same person may not both prepare and approve" (segregation of duties, 等保 2.0 level 3).

Reproductions replayed here, each of which the old code let through because the user held both roles:

- a user who submitted an annual plan to host review approved it as the host-unit reviewer (R-22);
- a reviewer who recorded the site visit (the conclusion the decision rests on), or who recommended the
  application, took the decision as approver (R-16, R-17);
- the inspector who recorded an inspection's result confirmed it, and the reviewer who proposed a revocation
  revoked the base (R-25, R-28).

The rule lives in the workflow engine (`Transition.preparers`): the service refuses with 409 and a message,
and `Machine.available` does not offer the step to that user, whatever roles they hold.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from applications import services as app_services
from applications import workflow as app_workflow
from audit.models import AuditEvent
from inspections import services as insp_services
from inspections import workflow as insp_workflow
from inspections.models import Rectification
from kit.errors import WrongState
from plans import workflow as plan_workflow
from tests.applications.conftest import World as ApplicationWorld
from tests.factories import member
from tests.inspections.conftest import World as SupervisionWorld
from tests.plans.conftest import PlanWorld

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SCORES = {"staff": 20, "management": 15, "facilities": 12, "remote": 12, "scale": 12, "credit": 8}


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def holding(organization, *roles, username):
    """Create a user holding every one of `roles` in `organization`."""
    user = member(organization, roles[0], username=username)
    for role in roles[1:]:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def api_post(user, url, data):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(url, data, format="json")


# --- annual plan: submit to host review, then host approval (R-22) ---------------------------------------


@pytest.fixture
def pw(db):
    return PlanWorld()


def test_plan_submitter_cannot_approve_it_as_host_reviewer(client, pw):
    """Issue 13 / R-22: whoever submitted the plan to host review may not also sign it off."""
    dual = holding(pw.inst, Role.BASE_OPERATOR, Role.HOST_REVIEWER, username="op_host")
    plan = pw.plan()
    plan_workflow.MACHINE.run(plan, "submit_to_host", actor=dual)

    with pytest.raises(WrongState, match="职责分离"):
        plan_workflow.MACHINE.run(plan, "host_approve", actor=dual)
    response = api_post(dual, f"/api/v1/plans/{plan.pk}/transitions/", {"action": "host_approve"})
    assert response.status_code == 409 and "职责分离" in response.json()["detail"]

    plan.refresh_from_db()
    assert plan.state == "host_review" and plan.host_reviewed_by is None
    assert not AuditEvent.objects.filter(action="plan.host_approve").exists()
    client.force_login(dual)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-action="host_approve"' not in page and 'data-action="host_return"' in page
    assert plan_workflow.MACHINE.run(plan, "host_approve", actor=pw.host).state == "submitted"


def test_a_host_reviewer_who_did_not_submit_the_plan_may_approve_it(pw):
    """The rule is about the person who submitted this round, not about holding both roles."""
    dual = holding(pw.inst, Role.BASE_OPERATOR, Role.HOST_REVIEWER, username="op_host")
    plan = pw.plan()
    plan = plan_workflow.MACHINE.run(plan, "submit_to_host", actor=pw.operator)
    assert "host_approve" in [t.action for t in plan_workflow.MACHINE.available(plan, dual)]
    assert plan_workflow.MACHINE.run(plan, "host_approve", actor=dual).state == "submitted"


# --- application: site visit or recommendation, then the decision (R-16, R-17) ---------------------------


@pytest.fixture
def world(db):
    return ApplicationWorld()


def record_visit(app, actor, world=None):
    """Record a passed visit by `actor`, then (given the world) take the application before the panel, whose
    resolution another reviewer records, so that it waits for the decision (Art. 10: 考察 → 评审 → 认定)."""
    app_services.site_visit_record(
        actor=actor, application=app, visit_date=TODAY, members="甲、乙", findings="属实", passed=True
    )
    if world is not None:
        reviewer = world.reviewers_of(app)[0]
        app_workflow.MACHINE.run(app, "complete_site_visit", actor=reviewer)
        world.resolve(app, reviewer)


def test_reviewer_who_recorded_the_site_visit_cannot_take_the_decision(client, world):
    """Issue 13 / R-16, R-17: the reviewer whose site-visit conclusion proposes the decision may not decide."""
    dual = holding(world.chengdu, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, username="cd_dual")
    app = world.to_state("site_visit")
    record_visit(app, dual, world)

    for action in ("approve", "decline"):
        with pytest.raises(WrongState, match="职责分离"):
            app_workflow.MACHINE.run(app, action, actor=dual, comment="符合条件")
    response = api_post(
        dual, f"/api/v1/applications/{app.pk}/transitions/", {"action": "approve", "comment": "符合条件"}
    )
    assert response.status_code == 409 and "职责分离" in response.json()["detail"]

    app.refresh_from_db()
    assert app.state == "decision" and not app.decisions.exists()
    assert not AuditEvent.objects.filter(action="application.approve").exists()
    client.force_login(dual)
    offered = {
        t.action for t, _why in client.get(reverse("applications:detail", args=[app.pk])).context["actions"]
    }
    assert not offered & {"approve", "decline"}
    assert (
        app_workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="符合条件").state
        == "publicity"
    )


def test_an_approver_who_did_not_prepare_the_decision_takes_it(world):
    """The control: the same dual-role user decides an application another reviewer prepared."""
    dual = holding(world.chengdu, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, username="cd_dual")
    app = world.to_state("site_visit")
    record_visit(app, world.cd_reviewer, world)
    assert app_workflow.MACHINE.run(app, "approve", actor=dual, comment="符合条件").state == "publicity"


def test_recommender_cannot_take_the_decision_as_provincial_approver(world):
    """Issue 13 / R-13, R-17: a user who recommended the application for the city may not decide it for the
    province, though they hold both roles."""
    dual = member(world.chengdu, Role.AUTHORITY_REVIEWER, username="cd_sc_dual")
    Membership.objects.create(user=dual, organization=world.province, role=Role.AUTHORITY_APPROVER)
    batch = app_services.batch_create(
        actor=world.sc_admin,
        authority=world.province,
        title="需推荐批次",
        requires_recommendation=True,
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    app = world.complete(batch=batch)
    app_services.application_update(
        actor=world.operator,
        application=app,
        section="institution",
        data={"recommending_authority": world.chengdu},
    )
    run = app_workflow.MACHINE.run
    run(app, "submit", actor=world.operator)
    run(app, "recommend", actor=dual, comment="同意推荐")
    run(app, "start_review", actor=world.sc_reviewer)
    run(app, "pass_formal_review", actor=world.sc_reviewer)
    for a in app_services.expert_assign(
        actor=world.sc_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    ):
        app_services.assignment_declare(actor=a.expert, assignment_id=a.pk, has_conflict=False)
        app_services.assignment_submit_scores(
            actor=a.expert, assignment_id=a.pk, scores=SCORES, comment="同意"
        )
    run(app, "complete_expert_review", actor=world.sc_reviewer)
    record_visit(app, world.sc_reviewer, world)

    assert "approve" not in [t.action for t in app_workflow.MACHINE.available(app, dual)]
    with pytest.raises(WrongState, match="职责分离"):
        run(app, "approve", actor=dual, comment="符合条件")
    assert run(app, "approve", actor=world.sc_approver, comment="符合条件").state == "publicity"


# --- supervision: score then confirm, propose then revoke (R-25, R-28) ------------------------------------


@pytest.fixture
def w(db):
    return SupervisionWorld()


def test_inspector_who_recorded_the_result_cannot_confirm_it(client, w):
    """Issue 13 / R-25: the result is proposed by whoever scored it and confirmed by someone else."""
    dual = holding(w.chengdu, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, username="cd_dual")
    insp = w.spot().inspections.get()
    w.score(insp, 90, actor=dual, inspectors=[dual, w.cd_reviewer2])

    with pytest.raises(WrongState, match="职责分离"):
        insp_services.inspection_confirm(actor=dual, inspection_id=insp.pk)
    client.force_login(dual)
    assert client.get(reverse("inspections:inspection", args=[insp.pk])).context["confirm_form"] is None
    client.force_login(w.cd_approver)
    assert client.get(reverse("inspections:inspection", args=[insp.pk])).context["confirm_form"] is not None
    assert insp_services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk).state == "confirmed"


def test_an_approver_listed_among_the_inspectors_cannot_confirm(w):
    """Issue 13 / R-25: an approver who took part in the inspection does not confirm its conclusion."""
    insp = w.spot().inspections.get()
    w.score(insp, 90, inspectors=[w.cd_reviewer, w.cd_approver])
    with pytest.raises(WrongState, match="职责分离"):
        insp_services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)


def test_reviewer_who_proposed_a_revocation_cannot_revoke(w):
    """Issue 13 / R-28: the proposer of a revocation may not take it as approver."""
    dual = holding(w.chengdu, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, username="cd_dual")
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    insp_services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="整改",
        deadline=TODAY + datetime.timedelta(days=1),
    )
    rect = Rectification.objects.get(inspection=insp)
    later = TODAY + datetime.timedelta(days=2)
    insp_workflow.MACHINE.run(rect.pk, "propose_revocation", actor=dual, comment="逾期未整改", today=later)

    with pytest.raises(WrongState, match="职责分离"):
        insp_workflow.MACHINE.run(rect.pk, "revoke", actor=dual, comment="整改期满仍不合格")
    assert Rectification.objects.get(pk=rect.pk).state == "revocation_proposed"
    assert insp_workflow.MACHINE.run(
        rect.pk, "revoke", actor=w.cd_approver, comment="整改期满仍不合格"
    ).state == ("revoked")
