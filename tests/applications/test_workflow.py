"""Every transition of the recognition workflow (R-16, R-17): the allowed role, a wrong role, another
authority (404), the wrong state (409) and the audit event it writes."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from applications import services, workflow
from applications.models import Application, ApplicationVersion, Decision, PanelMeeting, SectionComment
from audit.models import AuditEvent
from kit.errors import NotVisible, PermissionRefused, WrongState

pytestmark = pytest.mark.django_db

# action, state to reach first, allowed user, wrong-role user (same authority or the applicant), comment
CASES = [
    ("submit", "draft", "operator", "host", ""),
    ("start_review", "submitted", "cd_reviewer", "operator", ""),
    ("pass_formal_review", "formal_review", "cd_reviewer", "cd_approver", ""),
    ("complete_expert_review", "expert_scored", "cd_reviewer", "operator", ""),
    ("complete_site_visit", "site_visit_passed", "cd_reviewer", "cd_approver", ""),
    ("record_panel_resolution", "panel_review", "cd_reviewer", "cd_approver", ""),
    ("approve", "decision", "cd_approver", "cd_reviewer", "符合条件"),
    ("decline", "decision", "cd_approver", "cd_reviewer", "评审不通过"),
    ("return", "formal_review", "cd_reviewer", "operator", "请补充"),
    ("reject", "formal_review", "cd_reviewer", "operator", "不符合"),
    ("withdraw", "submitted", "operator", "cd_reviewer", ""),
]

EXPECTED = {
    "submit": "submitted",
    "start_review": "formal_review",
    "pass_formal_review": "demonstration",
    "complete_expert_review": "site_visit",
    "complete_site_visit": "panel_review",
    "record_panel_resolution": "decision",
    "approve": "publicity",
    "decline": "declined",
    "return": "returned",
    "reject": "rejected",
    "withdraw": "withdrawn",
}


def reach(world, state):
    if state == "draft":
        return world.complete()
    if state == "expert_scored":
        app = world.to_state("demonstration")
        for a in services.expert_assign(
            actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
        ):
            services.assignment_declare(actor=a.expert, assignment_id=a.pk, has_conflict=False)
            services.assignment_submit_scores(
                actor=a.expert,
                assignment_id=a.pk,
                scores={
                    "staff": 20,
                    "management": 15,
                    "facilities": 12,
                    "remote": 12,
                    "scale": 12,
                    "credit": 8,
                },
                comment="同意",
            )
        return app
    if state == "site_visit_passed":
        app = world.to_state("site_visit")
        services.site_visit_record(
            actor=world.cd_reviewer,
            application=app,
            visit_date=timezone.localdate(),
            members="甲",
            findings="属实",
            passed=True,
        )
        return app
    return world.to_state(state)


def kwargs_for(action, comment, app=None):
    data = {"comment": comment}
    if action == "return":
        data["section_comments"] = {"staff": "请补充兼职教师的聘用证明"}
    if action == "record_panel_resolution":
        data["meeting"] = PanelMeeting.objects.create(
            batch=app.batch, held_on=timezone.localdate(), recorded_by=app.batch.created_by
        )
        data["resolution"] = {"passed": True, "votes_for": 5, "votes_against": 0, "votes_abstain": 0}
    return data


@pytest.mark.parametrize(("action", "state", "allowed", "wrong", "comment"), CASES)
def test_allowed_role_moves_the_state_and_writes_the_audit_event(
    world, action, state, allowed, wrong, comment
):
    app = reach(world, state)
    before = Application.objects.get(pk=app.pk).state
    result = workflow.MACHINE.run(
        app, action, actor=getattr(world, allowed), **kwargs_for(action, comment, app)
    )
    assert result.state == EXPECTED[action]
    assert Application.objects.get(pk=app.pk).state == EXPECTED[action]
    event = AuditEvent.objects.filter(action=f"application.{action}", object_id=str(app.pk)).get()
    assert (event.from_state, event.to_state) == (before, EXPECTED[action])
    assert event.actor == getattr(world, allowed)
    assert event.organization == world.chengdu


@pytest.mark.parametrize(("action", "state", "allowed", "wrong", "comment"), CASES)
def test_wrong_role_is_refused_and_changes_nothing(world, action, state, allowed, wrong, comment):
    app = reach(world, state)
    before = Application.objects.get(pk=app.pk).state
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(app, action, actor=getattr(world, wrong), **kwargs_for(action, comment, app))
    assert Application.objects.get(pk=app.pk).state == before
    assert not AuditEvent.objects.filter(action=f"application.{action}", object_id=str(app.pk)).exists()


@pytest.mark.parametrize(("action", "state", "allowed", "wrong", "comment"), CASES)
def test_another_authority_gets_not_found(world, action, state, allowed, wrong, comment):
    app = reach(world, state)
    outsider = world.my_approver if "approver" in allowed else world.my_reviewer
    if allowed == "operator":
        outsider = world.other_operator
    with pytest.raises(NotVisible):
        workflow.MACHINE.run(app, action, actor=outsider, **kwargs_for(action, comment, app))


@pytest.mark.parametrize(("action", "state", "allowed", "wrong", "comment"), CASES)
def test_wrong_state_is_a_conflict(world, action, state, allowed, wrong, comment):
    app = reach(world, state)
    workflow.MACHINE.run(
        app, "withdraw", actor=world.operator
    ) if action != "withdraw" else workflow.MACHINE.run(app, "withdraw", actor=world.operator)
    with pytest.raises(WrongState):
        workflow.MACHINE.run(app, action, actor=getattr(world, allowed), **kwargs_for(action, comment, app))
    assert Application.objects.get(pk=app.pk).state == "withdrawn"


def test_submit_freezes_a_version_and_resubmission_keeps_both(world):
    app = world.to_state("formal_review")
    workflow.MACHINE.run(
        app, "return", actor=world.cd_reviewer, section_comments={"resources": "平台网址无法访问"}
    )
    app.refresh_from_db()
    assert SectionComment.objects.get(application=app).section == "resources"
    services.application_update(
        actor=world.operator,
        application=app,
        section="resources",
        data={"platform_url": "https://new.example.cn/"},
    )
    workflow.MACHINE.run(app, "submit", actor=world.operator)
    versions = list(ApplicationVersion.objects.filter(application=app).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["platform_url"] != versions[1].data["platform_url"]
    from applications.snapshot import diff_snapshots

    changes = diff_snapshots(versions[0].data, versions[1].data)
    assert [c["field"] for c in changes] == ["platform_url"]


def test_submitted_application_cannot_be_edited(world):
    app = world.submitted()
    with pytest.raises(WrongState, match="不能修改"):
        services.application_update(
            actor=world.operator, application=app, section="scale", data={"trainees_year3": 5}
        )


def test_recommendation_is_required_when_the_batch_asks_for_it(world):
    from datetime import timedelta

    batch = services.batch_create(
        actor=world.sc_admin,
        authority=world.province,
        title="需推荐批次",
        requires_recommendation=True,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    app = world.complete(batch=batch)
    with pytest.raises(WrongState, match="推荐部门"):
        workflow.MACHINE.run(app, "submit", actor=world.operator)
    services.application_update(
        actor=world.operator,
        application=app,
        section="institution",
        data={"recommending_authority": world.chengdu},
    )
    workflow.MACHINE.run(app, "submit", actor=world.operator)
    with pytest.raises(WrongState, match="推荐"):
        workflow.MACHINE.run(app, "start_review", actor=world.sc_reviewer)
    # The municipal authority sees and recommends it; another city cannot.
    with pytest.raises(NotVisible):
        workflow.MACHINE.run(app, "recommend", actor=world.my_reviewer)
    workflow.MACHINE.run(app, "recommend", actor=world.cd_reviewer, comment="同意推荐")
    assert workflow.MACHINE.run(app, "start_review", actor=world.sc_reviewer).state == "formal_review"


def test_decision_freezes_what_was_approved(world):
    app = reach(world, "decision")
    workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="符合条件")
    decision = Decision.objects.get(application=app)
    assert decision.approved and decision.version == 1
    assert decision.snapshot["base_name"] == "测试继续教育基地"
    assert len(decision.snapshot["staff"]) == app.staff.count()


def test_site_visit_is_followed_by_the_panel_not_the_decision(world):
    """R-16, Art. 10: 考察 is followed by 评审; the approver decides only after the panel's resolution."""
    app = reach(world, "site_visit_passed")
    with pytest.raises(WrongState, match="不能执行"):
        workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="x")
    assert workflow.MACHINE.run(app, "complete_site_visit", actor=world.cd_reviewer).state == "panel_review"
    with pytest.raises(WrongState, match="不能执行"):
        workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="x")
    world.resolve(app)
    app.refresh_from_db()
    assert app.state == "decision"
    assert workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="x").state == "publicity"


def test_a_failed_panel_resolution_cannot_be_approved_but_declined(world):
    app = world.to_state("panel_review")
    world.resolve(app, passed=False)
    with pytest.raises(WrongState, match="评审会结论为不通过"):
        workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="x")
    assert (
        workflow.MACHINE.run(app, "decline", actor=world.cd_approver, comment="评审不通过").state
        == "declined"
    )


def test_the_panel_resolution_needs_its_data_from_the_panel_sheet(world):
    from kit.errors import InvalidInput

    app = world.to_state("panel_review")
    with pytest.raises(InvalidInput, match="评审汇总表"):
        workflow.MACHINE.run(app, "record_panel_resolution", actor=world.cd_reviewer)
    assert Application.objects.get(pk=app.pk).state == "panel_review"


def test_panel_needs_a_passed_site_visit(world):
    app = world.to_state("site_visit")
    with pytest.raises(WrongState, match="尚未录入"):
        workflow.MACHINE.run(app, "complete_site_visit", actor=world.cd_reviewer)
    services.site_visit_record(
        actor=world.cd_reviewer,
        application=app,
        visit_date=timezone.localdate(),
        members="甲",
        findings="不符",
        passed=False,
    )
    with pytest.raises(WrongState, match="未通过"):
        workflow.MACHINE.run(app, "complete_site_visit", actor=world.cd_reviewer)


def test_decision_requires_reasons(world):
    from kit.errors import InvalidInput

    app = reach(world, "decision")
    with pytest.raises(InvalidInput, match="意见或理由"):
        workflow.MACHINE.run(app, "approve", actor=world.cd_approver, comment="  ")


def test_provincial_staff_see_but_do_not_decide_a_municipal_application(world):
    app = reach(world, "decision")
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(app, "approve", actor=world.sc_approver, comment="x")


def test_drafts_are_invisible_to_authorities(world):
    from applications.selectors import visible_to

    app = world.draft()
    assert not visible_to(world.cd_reviewer).filter(pk=app.pk).exists()
    assert not visible_to(world.sc_reviewer).filter(pk=app.pk).exists()
    assert visible_to(world.operator).filter(pk=app.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_exactly_one_wins(world):
    app = reach(world, "decision")
    second_approver = world.chengdu.memberships.create(user=world.experts[3], role="authority_approver").user
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, action):
        from django.db import connection as conn

        try:
            barrier.wait()
            workflow.MACHINE.run(Application.objects.get(pk=app.pk), action, actor=user, comment="并发")
            outcomes.append("ok")
        except WrongState:
            outcomes.append("conflict")
        finally:
            conn.close()

    threads = [
        threading.Thread(target=decide, args=(world.cd_approver, "approve")),
        threading.Thread(target=decide, args=(second_approver, "approve")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Decision.objects.filter(application=app).count() == 1
    assert (
        AuditEvent.objects.filter(
            object_id=str(app.pk), action__in=["application.approve", "application.decline"]
        ).count()
        == 1
    )
