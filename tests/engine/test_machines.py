"""Every workflow machine through the one engine: who may press, who may not, who cannot even see the object,
the wrong state, the one audit row and the e-mail that leaves only on commit (R-16, R-22, R-25..R-28, R-34)."""

import datetime
import threading
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from applications import workflow as application_workflow
from audit.models import AuditEvent
from bases import services as base_services
from bases import workflow as base_workflow
from inspections import services as inspection_services
from inspections import workflow as inspection_workflow
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from plans import workflow as plan_workflow
from tests.applications.conftest import World as ApplicationWorld
from tests.factories import member
from tests.inspections.conftest import World as SupervisionWorld
from tests.plans.conftest import PlanWorld

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@dataclass
class Case:
    """One transition of one machine, with the people to try it and an object in another state."""

    machine: object
    obj: object
    action: str
    allowed: object
    refused: object  # sees the object, may not press (403)
    outsider: object  # another jurisdiction: does not see it (404)
    wrong_state: object  # an object where the action does not apply (409)
    data: dict = field(default_factory=dict)
    emails: bool = True  # whether the transition tells someone by e-mail


def application_case():
    w = ApplicationWorld()
    under_review = w.complete(institution=w.other_inst, operator=w.other_operator)
    application_workflow.MACHINE.run(under_review, "submit", actor=w.other_operator)
    application_workflow.MACHINE.run(under_review, "start_review", actor=w.cd_reviewer)
    return Case(
        application_workflow.MACHINE,
        w.submitted(),
        "start_review",
        w.cd_reviewer,
        w.operator,
        w.my_reviewer,
        under_review,
    )


def application_panel_case():
    """Art. 10: a passed site visit goes before the panel (考察 → 评审)."""
    w = ApplicationWorld()
    return Case(
        application_workflow.MACHINE,
        w.to_state("site_visit_passed"),
        "complete_site_visit",
        w.cd_reviewer,
        w.cd_approver,
        w.my_reviewer,
        w.to_state("demonstration", institution=w.other_inst, operator=w.other_operator),
    )


def application_decision_case():
    """The approver decides from the panel's resolution (评审 → 认定)."""
    w = ApplicationWorld()
    return Case(
        application_workflow.MACHINE,
        w.to_state("decision"),
        "approve",
        w.cd_approver,
        w.cd_reviewer,
        w.my_approver,
        w.to_state("panel_review", institution=w.other_inst, operator=w.other_operator),
        data={"comment": "经评审会评审通过"},
    )


def plan_case():
    w = PlanWorld()
    other = w.base(name="另一计划基地", recognised="2026-06-01")
    return Case(
        plan_workflow.MACHINE,
        w.to_state("submitted"),
        "file",
        w.cd_reviewer,
        w.operator,
        w.my_reviewer,
        w.plan(base=other),
    )


def change_request_case():
    w = SupervisionWorld()

    def request(base):
        proposed = base_services.base_facts(base) | {"address": "新的地址"}
        return base_services.change_request_create(
            actor=w.operator, base=base, proposed=proposed, reasons="搬迁"
        )

    withdrawn = request(w.base(name="撤回变更的基地"))
    base_workflow.MACHINE.run(withdrawn, "withdraw", actor=w.operator)
    return Case(
        base_workflow.MACHINE,
        request(w.b),
        "return",
        w.cd_reviewer,
        w.operator,
        w.my_reviewer,
        withdrawn,
        data={"comment": "请附租赁合同"},
    )


def _scored(w, value, base=None):
    insp = w.spot(base=base).inspections.get()
    w.score(insp, value)
    return insp


def inspection_case():
    w = SupervisionWorld()
    planned = w.spot(base=w.base(name="待检查基地")).inspections.get()
    return Case(
        inspection_workflow.INSPECTION,
        _scored(w, 50),
        "confirm",
        w.cd_approver,
        w.cd_reviewer,
        w.my_reviewer,
        planned,
        data={"rectification_items": "完善师资", "deadline": TODAY + datetime.timedelta(days=30)},
    )


def assessment_case():
    w = SupervisionWorld()
    w.base(name="第二个评估基地")
    first, second = inspection_services.assessments_propose(
        actor=w.cd_reviewer, authority=w.chengdu, year=2026
    )
    order = {"rectification_items": "整改", "deadline": TODAY + datetime.timedelta(days=30)}
    inspection_services.assessment_confirm(
        actor=w.cd_approver, assessment_id=second.pk, rating=second.rating, reason="", **order
    )
    return Case(
        inspection_workflow.ASSESSMENT,
        first,
        "confirm",
        w.cd_approver,
        w.cd_reviewer,
        w.my_approver,
        second,
        data={
            "rating": "unqualified",
            "reason": "培训质量差",
            "rectification_items": "整改",
            "deadline": TODAY + datetime.timedelta(days=30),
        },
    )


def _ordered(w, base):
    insp = _scored(w, 50, base=base)
    deadline = TODAY + datetime.timedelta(days=30)
    inspection_services.inspection_confirm(
        actor=w.cd_approver, inspection_id=insp.pk, rectification_items="完善师资", deadline=deadline
    )
    return insp.rectifications.get()


def rectification_case():
    w = SupervisionWorld()
    replied = _ordered(w, w.base(name="已报送整改的基地"))
    inspection_workflow.MACHINE.run(replied, "reply", actor=w.operator, reply="已整改")
    return Case(
        inspection_workflow.MACHINE,
        _ordered(w, w.b),
        "reply",
        w.operator,
        w.cd_reviewer,
        w.other_operator,
        replied,
        data={"reply": "已按要求整改"},
    )


def base_case():
    w = SupervisionWorld()
    under_rectification = w.base(name="整改中的基地")
    base_workflow.BASE.run(under_rectification, "start_rectification", actor=w.cd_reviewer)
    return Case(
        base_workflow.BASE,
        w.b,
        "start_rectification",
        w.cd_reviewer,
        w.operator,
        w.my_reviewer,
        under_rectification,
        emails=False,
    )


CASES = {
    "application": application_case,
    "application_panel": application_panel_case,
    "application_decision": application_decision_case,
    "plan": plan_case,
    "change_request": change_request_case,
    "inspection": inspection_case,
    "assessment": assessment_case,
    "rectification": rectification_case,
    "base": base_case,
}


@pytest.fixture(params=sorted(CASES))
def case(request):
    return CASES[request.param]()


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _state(case, obj):
    return case.machine.state_of(fresh(obj))


def test_a_disallowed_role_is_refused_and_nothing_changes(case):
    before = _state(case, case.obj)
    with pytest.raises(PermissionRefused):
        case.machine.run(case.obj.pk, case.action, actor=case.refused, **case.data)
    assert _state(case, case.obj) == before
    assert not AuditEvent.objects.filter(action=case.machine.code(case.action), actor=case.refused).exists()


def test_another_jurisdiction_does_not_see_the_object(case):
    with pytest.raises(NotVisible):
        case.machine.run(case.obj.pk, case.action, actor=case.outsider, **case.data)
    assert not case.machine.visible_to(case.outsider).filter(pk=case.obj.pk).exists()


def test_the_wrong_state_is_a_conflict(case):
    before = _state(case, case.wrong_state)
    with pytest.raises(WrongState, match=str(case.machine.noun)):
        case.machine.run(case.wrong_state.pk, case.action, actor=case.allowed, **case.data)
    assert _state(case, case.wrong_state) == before
    assert case.machine.table[case.action] not in case.machine.available(
        fresh(case.wrong_state), case.allowed
    )


def test_the_allowed_role_changes_the_state_with_one_audit_row(case):
    spec = case.machine.table[case.action]
    assert spec in case.machine.available(fresh(case.obj), case.allowed)
    assert spec not in case.machine.available(fresh(case.obj), case.refused)
    before = _state(case, case.obj)
    result = case.machine.run(case.obj.pk, case.action, actor=case.allowed, **case.data)
    assert _state(case, result) == spec.target
    events = AuditEvent.objects.filter(
        action=case.machine.code(case.action), object_id=str(case.obj.pk), actor=case.allowed
    )
    assert [(e.from_state, e.to_state) for e in events] == [(before, spec.target)]
    assert events[0].organization_id == case.machine.organization(result).pk


def test_e_mail_leaves_only_on_commit(case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case.machine.run(case.obj.pk, case.action, actor=case.allowed, **case.data)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert bool(mail.outbox) == case.emails


def test_an_unknown_action_is_bad_input(case):
    with pytest.raises(InvalidInput) as refused:
        case.machine.run(case.obj.pk, "no_such_action", actor=case.allowed)
    assert "action" in refused.value.field_errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_people_pressing_the_same_button_make_one_transition():
    """DESIGN (Workflows): the row lock of Machine.run lets exactly one of two concurrent presses through."""
    w = PlanWorld()
    plan = w.to_state("submitted")
    second = member(w.chengdu, Role.AUTHORITY_REVIEWER, username="cd_reviewer_2")
    barrier = threading.Barrier(2)
    outcomes = []

    def press(user):
        try:
            barrier.wait()
            plan_workflow.MACHINE.run(plan.pk, "file", actor=user)
            outcomes.append("ok")
        except WrongState:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(u,)) for u in (w.cd_reviewer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="plan.file", object_id=str(plan.pk)).count() == 1
