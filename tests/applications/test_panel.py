"""The panel (评审, Art. 10, R-16): a dated meeting resolves on the batch's applications that passed the visit;
all of a meeting's resolutions are recorded or none."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from applications import services
from applications.models import Application, PanelMeeting, PanelResolution
from audit.models import AuditEvent
from kit.errors import InvalidInput, PermissionRefused, WrongState

pytestmark = pytest.mark.django_db


def record(world, apps, actor=None, **overrides):
    resolutions = {
        app.pk: {"passed": True, "votes_for": 6, "votes_against": 1, "votes_abstain": 0, "remarks": "同意"}
        for app in apps
    }
    resolutions.update(overrides.pop("resolutions", {}))
    return services.panel_resolutions_record(
        actor=actor or world.cd_reviewer,
        batch=world.cd_batch,
        held_on=overrides.pop("held_on", timezone.localdate()),
        members="评审组七人",
        resolutions=resolutions,
    )


def test_the_panel_resolution_moves_each_application_to_the_decision(world):
    app = world.to_state("panel_review")
    meeting = record(world, [app])
    app.refresh_from_db()
    assert app.state == "decision"
    resolution = PanelResolution.objects.get(application=app)
    assert resolution.meeting == meeting and resolution.passed
    assert (resolution.votes_for, resolution.votes_against, resolution.votes_abstain) == (6, 1, 0)
    event = AuditEvent.objects.get(action="application.record_panel_resolution", object_id=str(app.pk))
    assert (event.from_state, event.to_state, event.actor) == ("panel_review", "decision", world.cd_reviewer)
    assert event.comment.endswith("passed 6/1/0")
    from audit.labels import describe_comment

    assert "赞成 6，反对 1，弃权 0" in describe_comment(event)  # the history says it in words
    assert AuditEvent.objects.filter(action="batch.panel_meeting_recorded", object_id=str(world.cd_batch.pk))


def test_one_refused_resolution_records_none_of_the_meeting(world):
    ready = world.to_state("panel_review")
    early = world.to_state("site_visit", institution=world.other_inst, operator=world.other_operator)
    with pytest.raises(WrongState, match="未录入任何结论") as refused:
        record(world, [ready, early])
    assert str(early.pk) in refused.value.field_errors
    assert str(ready.pk) not in refused.value.field_errors
    assert Application.objects.get(pk=ready.pk).state == "panel_review"
    assert not PanelMeeting.objects.exists() and not PanelResolution.objects.exists()


def test_bad_votes_and_a_missing_conclusion_are_field_errors(world):
    app = world.to_state("panel_review")
    with pytest.raises(InvalidInput) as refused:
        record(world, [app], resolutions={app.pk: {"passed": None, "votes_for": -1}})
    assert len(refused.value.field_errors[str(app.pk)]) == 2
    with pytest.raises(InvalidInput) as refused:
        record(world, [app], held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "held_on" in refused.value.field_errors
    assert Application.objects.get(pk=app.pk).state == "panel_review"


def test_only_the_authority_reviewer_records_the_panel(world):
    app = world.to_state("panel_review")
    with pytest.raises(PermissionRefused):
        record(world, [app], actor=world.cd_approver)
    with pytest.raises(PermissionRefused):
        record(world, [app], actor=world.my_reviewer)
    assert Application.objects.get(pk=app.pk).state == "panel_review"


def test_an_application_of_another_batch_is_refused(world):
    app = world.to_state("panel_review", batch=world.sc_batch)
    with pytest.raises(InvalidInput) as refused:
        record(world, [app])
    assert str(app.pk) in refused.value.field_errors


def test_the_approvers_are_told_only_on_commit(world, django_capture_on_commit_callbacks):
    app = world.to_state("panel_review")
    world.cd_approver.email = "approver@example.cn"
    world.cd_approver.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record(world, [app])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["approver@example.cn"]]


def test_the_panel_recorder_may_not_decide(world):
    """Segregation of duties: who recorded the panel's resolution prepared the decision."""
    from accounts.models import User
    from applications import workflow

    app = world.to_state("panel_review")
    world.chengdu.memberships.create(user=world.cd_reviewer, role="authority_approver")
    dual = User.objects.get(pk=world.cd_reviewer.pk)
    record(world, [app], actor=dual)
    with pytest.raises(WrongState, match="职责分离"):
        workflow.MACHINE.run(app, "approve", actor=dual, comment="x")
    assert workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="x").state == "publicity"
