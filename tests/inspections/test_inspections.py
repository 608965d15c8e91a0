"""Inspections, spot checks, assessments, rectification and revocation (R-25..R-29, R-15)."""

import datetime
from decimal import Decimal

import pytest

from applications.rules import bar_reason
from audit.models import AuditEvent
from bases.models import Base, InstitutionBar, MisconductReport, Notice
from bases.services import misconduct_report_create, misconduct_report_triage
from inspections import rules, services, workflow
from inspections.models import Assessment, Inspection, InspectionRound, Rectification
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from notifications.reminders import send_due_reminders
from tests.inspections.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_random_draw_is_recorded_and_reruns_to_the_same_sample(w):
    for i in range(10):
        w.base(name=f"候选{i}")
    rnd = services.round_create(
        actor=w.cd_reviewer,
        authority=w.chengdu,
        kind="spot_check",
        year=2026,
        title="随机抽查",
        draw_size=4,
        seed="audit-seed-1",
    )
    drawn = sorted(rnd.inspections.values_list("base_id", flat=True))
    assert len(drawn) == 4 and rnd.draw_seed == "audit-seed-1" and len(rnd.draw_candidates) == 11
    assert services.redraw(InspectionRound.objects.get(pk=rnd.pk)) == drawn
    assert rules.draw(rnd.draw_candidates, 4, "audit-seed-1") == rules.draw(
        list(reversed(rnd.draw_candidates)), 4, "audit-seed-1"
    )


@pytest.mark.parametrize(
    ("average", "result"),
    [
        (Decimal("80"), "qualified"),
        (Decimal("79.9"), "basic"),
        (Decimal("60"), "basic"),
        (Decimal("59.9"), "unqualified"),
        (Decimal("100"), "qualified"),
    ],
)
def test_result_thresholds_at_their_bounds(average, result):
    assert rules.inspection_result(average, qualified_min=80, basic_min=60) == result


def test_periodic_round_covers_every_active_base_of_the_jurisdiction(w):
    w.base(name="另一个")
    w.base(name="已撤销", status="revoked")
    w.base(name="绵阳的", authority=w.mianyang, region="510703")
    rnd = services.round_create(
        actor=w.cd_reviewer, authority=w.chengdu, kind="periodic", year=2026, title="年度检查"
    )
    assert set(rnd.inspections.values_list("base__name", flat=True)) == {"受检基地", "另一个"}


def test_province_may_inspect_a_municipal_base_but_another_city_may_not(w):
    rnd = w.spot(authority=w.province, actor=w.sc_reviewer)
    assert rnd.inspections.get().base == w.b
    with pytest.raises(NotVisible):
        w.spot(authority=w.mianyang, actor=w.my_reviewer)
    insp = rnd.inspections.get()
    with pytest.raises(NotVisible):
        w.score(insp, 90, actor=w.my_reviewer, inspectors=[w.my_reviewer])


def test_an_inspection_needs_two_inspectors_and_the_nine_items(w):
    insp = w.spot().inspections.get()
    with pytest.raises(InvalidInput) as exc:
        services.inspection_score(
            actor=w.cd_reviewer,
            inspection_id=insp.pk,
            inspected_on=TODAY,
            inspectors=[w.cd_reviewer],
            scores={"teaching_staff": 101},
            notes={},
            conclusion="",
        )
    assert {"inspectors", "teaching_staff", "fees"} <= set(exc.value.field_errors)
    assert Inspection.objects.get(pk=insp.pk).state == "planned"


def test_scoring_and_confirmation_roles_and_audit(w):
    insp = w.spot().inspections.get()
    with pytest.raises(PermissionRefused):
        w.score(insp, 85, actor=w.cd_approver)
    w.score(insp, 85)
    with pytest.raises(PermissionRefused):
        services.inspection_confirm(actor=w.cd_reviewer, inspection_id=insp.pk)
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    insp.refresh_from_db()
    assert (insp.state, insp.result) == ("confirmed", "qualified")
    assert AuditEvent.objects.filter(action="inspection.confirmed", object_id=str(insp.pk)).count() == 1
    with pytest.raises(WrongState):
        services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)


def test_unqualified_confirmation_orders_a_rectification(w):
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    with pytest.raises(InvalidInput):
        services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="补齐管理制度",
        deadline=TODAY + datetime.timedelta(days=30),
    )
    rect = Rectification.objects.get(inspection=insp)
    assert rect.state == "open"
    assert Base.objects.get(pk=w.b.pk).status == "rectification"


def test_published_results_list_each_base_without_personal_data(w):
    rnd = w.spot()
    insp = rnd.inspections.get()
    w.score(insp, 70)
    with pytest.raises(WrongState, match="未确认"):
        services.round_publish(actor=w.cd_reviewer, round_id=rnd.pk)
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    services.round_publish(actor=w.cd_reviewer, round_id=rnd.pk)
    notice = Notice.objects.get(kind="inspection")
    assert "受检基地：基本合格" in notice.body
    for private in [w.cd_reviewer.username, w.cd_reviewer.full_name, w.cd_reviewer2.full_name, "70"]:
        assert private not in notice.body
    assert list(notice.listed_bases.all()) == [w.b]
    from bases.selectors import base_timeline

    assert notice in base_timeline(w.b)


def test_spot_check_from_a_report_feeds_the_outcome_back_to_the_reporter(w):
    report = misconduct_report_create(
        base=w.b,
        category="tourism",
        description="以培训名义组织旅游活动。",
        reporter_name="甲",
        reporter_phone="13800000000",
    )
    misconduct_report_triage(actor=w.cd_reviewer, report=report, decision="spot_check", outcome="转入抽查")
    rnd = w.spot(report=report)
    insp = rnd.inspections.get()
    assert insp.report == report
    w.score(insp, 50)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="停止违规活动",
        deadline=TODAY + datetime.timedelta(days=20),
    )
    assert "不合格" in MisconductReport.objects.get(pk=report.pk).outcome


def _rectification(w, days=10):
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="整改",
        deadline=TODAY + datetime.timedelta(days=days),
    )
    return Rectification.objects.get(inspection=insp)


def test_reply_accept_closes_and_restores_the_base(w):
    rect = _rectification(w)
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(rect.pk, "reply", actor=w.cd_reviewer)
    services.rectification_reply(actor=w.operator, rectification_id=rect.pk, reply="已整改")
    workflow.MACHINE.run(rect.pk, "reject", actor=w.cd_reviewer, comment="证据不足")
    assert Rectification.objects.get(pk=rect.pk).state == "open"
    services.rectification_reply(actor=w.operator, rectification_id=rect.pk, reply="补充证据")
    workflow.MACHINE.run(rect.pk, "accept", actor=w.cd_reviewer)
    assert Rectification.objects.get(pk=rect.pk).state == "closed"
    assert Base.objects.get(pk=w.b.pk).status == "active"
    with pytest.raises(NotVisible):
        workflow.MACHINE.run(rect.pk, "accept", actor=w.my_reviewer)


def test_revocation_only_after_the_deadline_then_bars_the_institution(w):
    rect = _rectification(w, days=5)
    with pytest.raises(WrongState, match="期限"):
        workflow.MACHINE.run(rect.pk, "propose_revocation", actor=w.cd_reviewer, comment="未整改")
    later = TODAY + datetime.timedelta(days=6)
    with pytest.raises(WrongState, match="已过"):
        workflow.MACHINE.run(rect.pk, "reply", actor=w.operator, reply="迟到的整改", today=later)
    workflow.MACHINE.run(
        rect.pk, "propose_revocation", actor=w.cd_reviewer, comment="逾期未整改", today=later
    )
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(rect.pk, "revoke", actor=w.cd_reviewer, comment="x")
    workflow.MACHINE.run(rect.pk, "revoke", actor=w.cd_approver, comment="整改期满仍不合格")
    base = Base.objects.get(pk=w.b.pk)
    assert base.status == "revoked"
    assert InstitutionBar.objects.filter(institution=w.inst, reason="base_revoked").exists()
    assert "第二十四条" in bar_reason(w.inst)
    notice = Notice.objects.get(kind="revocation", base=base)
    assert "撤销" in notice.title or "取消" in notice.title
    from bases.models import Filing

    assert Filing.objects.filter(base=base, filed_with=w.province).exists()
    assert (
        AuditEvent.objects.filter(action="rectification.revoke").count() == 1
        and AuditEvent.objects.filter(action="base.revoked").count() == 1
    )


def test_rectification_reminders_are_sent_once_then_overdue_to_the_authority(w):
    rect = _rectification(w, days=20)
    base_staff = [w.operator]

    def rect_steps(day):
        return [r for r in send_due_reminders(today=day).sent if r.kind == "rectification"]

    assert [r.step for r in rect_steps(TODAY)] == ["before-30"]
    assert rect_steps(TODAY) == []
    assert [r.step for r in rect_steps(rect.deadline - datetime.timedelta(days=3))] == ["before-7"]
    overdue = rect_steps(rect.deadline + datetime.timedelta(days=1))
    assert [r.step for r in overdue] == ["overdue"]
    assert w.cd_reviewer in overdue[0].recipients and base_staff[0] not in overdue[0].recipients


def test_assessment_proposes_a_rating_from_weighted_inputs_and_an_override_needs_a_reason(w):
    created = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)
    a = next(x for x in created if x.base == w.b)
    assert set(a.inputs) == {"inspection", "plan_on_time", "execution", "scale", "reports"}
    assert sum(v["weight"] for v in a.inputs.values()) == 100
    assert a.proposed_rating == rules.rating_for(a.score)
    other = "good" if a.proposed_rating != "good" else "qualified"
    with pytest.raises(InvalidInput, match="理由"):
        services.assessment_confirm(actor=w.cd_approver, assessment_id=a.pk, rating=other)
    services.assessment_confirm(
        actor=w.cd_approver, assessment_id=a.pk, rating=other, reason="考虑公益性培训贡献"
    )
    notice = services.assessments_publish(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)
    assert w.b.name in notice.body
    assert Assessment.objects.get(pk=a.pk).state == "published"


def test_excellent_bases_are_marked_and_listed(client, w):
    a = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)[0]
    services.assessment_confirm(
        actor=w.cd_approver,
        assessment_id=a.pk,
        rating="excellent",
        reason="表现突出" if a.proposed_rating != "excellent" else "",
    )
    services.assessments_publish(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)
    assert 'data-testid="excellent"' in client.get(f"/bases/{a.base.pk}/").content.decode()
    assert a.base.name in client.get("/inspections/excellent/").content.decode()


@pytest.mark.parametrize(
    ("rating", "score"),
    [
        ("excellent", Decimal("90")),
        ("good", Decimal("89.9")),
        ("good", Decimal("75")),
        ("qualified", Decimal("60")),
        ("unqualified", Decimal("59.9")),
    ],
)
def test_rating_bounds(rating, score):
    assert rules.rating_for(score) == rating


def test_inspection_pages_render(client, w):
    rect = _rectification(w)
    insp = rect.inspection
    for user, ok in [
        (w.cd_reviewer, True),
        (w.cd_approver, True),
        (w.sc_reviewer, True),
        (w.operator, True),
        (w.my_reviewer, False),
        (w.other_operator, False),
    ]:
        client.force_login(user)
        assert (client.get(f"/inspections/{insp.pk}/").status_code == 200) is ok
        assert (client.get(f"/inspections/rectifications/{rect.pk}/").status_code == 200) is ok
    client.force_login(w.cd_reviewer)
    assert client.get("/inspections/").status_code == 200
    assert client.get("/inspections/assessments/").status_code == 200
    assert client.get(f"/inspections/rounds/{insp.round.pk}/").status_code == 200


def test_rectification_api_transitions(client, w):
    rect = _rectification(w)
    client.force_login(w.operator)
    url = f"/api/v1/rectifications/{rect.pk}/transitions/"
    assert client.post(url, {"action": "accept"}, content_type="application/json").status_code == 403
    assert (
        client.post(url, {"action": "reply", "reply": "已整改"}, content_type="application/json").json()[
            "state"
        ]
        == "replied"
    )
    assert (
        client.post(url, {"action": "reply", "reply": "again"}, content_type="application/json").status_code
        == 409
    )
    client.force_login(w.my_reviewer)
    assert client.post(url, {"action": "accept"}, content_type="application/json").status_code == 404
    client.force_login(w.cd_reviewer)
    assert client.get("/api/v1/inspections/", {"result": "unqualified"}).json()["count"] == 1


def test_revocation_after_an_assessment_names_the_assessment_as_cause(w):
    a = next(
        x
        for x in services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)
        if x.base == w.b
    )
    services.assessment_confirm(
        actor=w.cd_approver,
        assessment_id=a.pk,
        rating="unqualified",
        reason="计划执行严重不足",
        rectification_items="补齐培训",
        deadline=TODAY + datetime.timedelta(days=3),
    )
    rect = Rectification.objects.get(assessment=a)
    later = TODAY + datetime.timedelta(days=4)
    workflow.MACHINE.run(rect.pk, "propose_revocation", actor=w.cd_reviewer, comment="逾期", today=later)
    workflow.MACHINE.run(rect.pk, "revoke", actor=w.cd_approver, comment="整改期满仍不合格")
    body = Notice.objects.get(kind="revocation").body
    assert "经动态评估不合格" in body and "经检查考核不合格" not in body
