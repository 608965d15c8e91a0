"""The object pages of supervision: each opens with a status panel (state, who acts next, the user's actions)
and puts the user's next step right below it, before what is recorded and the history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from inspections import services, workflow
from inspections.models import Rectification
from tests.inspections.conftest import TODAY
from tests.status_panel import assert_actions_before_history, status_panel

pytestmark = pytest.mark.django_db

CD = "成都市人力资源和社会保障局"


def _page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _inspection_page(client, user, insp):
    return _page(client, user, reverse("inspections:inspection", args=[insp.pk]))


def _round_page(client, user, rnd):
    return _page(client, user, reverse("inspections:round", args=[rnd.pk]))


def test_planned_inspection_puts_the_scoring_form_below_the_panel_r25_r26(client, w):
    """R-25, R-26: a planned inspection waits for the inspecting authority's reviewers to record the nine
    scores; their form comes before what the platform already knows about the base."""
    insp = w.spot().inspections.get()
    body = _inspection_page(client, w.cd_reviewer, insp)
    panel = status_panel(body)
    assert panel["state"] == "待检查"
    assert panel["next"] == f"由{CD}的检查人员录入检查结果"
    assert panel["actions"] == ["录入检查结果"]
    assert body.index('data-testid="status-panel"') < body.index('id="actions"')
    assert body.index('id="actions"') < body.index('data-action="score"') < body.index("平台已掌握的情况")
    # The approver confirms later; the inspected base and the province have nothing to do now.
    for user in (w.cd_approver, w.operator, w.sc_reviewer):
        assert status_panel(_inspection_page(client, user, insp))["actions_text"] == "当前无需您办理"


def test_scored_inspection_puts_the_confirmation_first_for_the_approver_r25(client, w):
    """R-25: a scored inspection waits for an approver of the inspecting authority to confirm its conclusion;
    the confirmation form comes right after the panel, before the scores and the history."""
    insp = w.spot().inspections.get()
    w.score(insp, 85)
    body = _inspection_page(client, w.cd_approver, insp)
    panel = status_panel(body)
    assert panel["state"] == "待确认"
    assert panel["next"] == f"由{CD}的审批人确认检查结论"
    assert panel["actions"] == ["确认检查结论"]
    assert_actions_before_history(body)
    assert body.index('data-action="confirm"') < body.index('data-testid="scores"')
    assert "录入检查结果" in body.split('id="sec-hist"', 1)[1]
    # The reviewer who recorded the result may correct it, not confirm it.
    assert status_panel(_inspection_page(client, w.cd_reviewer, insp))["actions"] == ["录入检查结果"]
    # The base reads the result, not the history that names its inspectors.
    base_view = _inspection_page(client, w.operator, insp)
    assert status_panel(base_view)["actions_text"] == "当前无需您办理"
    assert 'id="sec-hist"' not in base_view and w.cd_reviewer2.display_name not in base_view


def test_confirmed_inspection_waits_for_the_round_to_be_published_r25(client, w):
    """R-25: results are published by round; once published, nobody needs to act on the inspection."""
    rnd = w.spot()
    insp = rnd.inspections.get()
    w.score(insp, 85)
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    panel = status_panel(_inspection_page(client, w.cd_approver, insp))
    assert panel["state"] == "已确认" and panel["next"] == f"结论已确认，待{CD}公布检查结果"
    assert panel["actions_text"] == "当前无需您办理"
    services.round_publish(actor=w.cd_reviewer, round_id=rnd.pk)
    assert status_panel(_inspection_page(client, w.cd_approver, insp))["next"] == "检查结果已公布，无需再办理"


def test_base_is_offered_its_self_assessment_before_a_periodic_inspection_r26(client, w):
    """R-26: before a periodic inspection the base may file its self-assessment."""
    rnd = services.round_create(
        actor=w.cd_reviewer, authority=w.chengdu, kind="periodic", year=TODAY.year, title="年度检查"
    )
    insp = rnd.inspections.get(base=w.b)
    body = _inspection_page(client, w.operator, insp)
    assert status_panel(body)["actions"] == ["提交自评"]
    url = reverse("inspections:self_assessment", args=[rnd.pk, w.b.pk])
    assert body.index('id="actions"') < body.index(url)


def test_round_offers_publishing_only_once_every_conclusion_is_confirmed_r25(client, w):
    """R-25: a round's results are published once every inspection's conclusion is confirmed; the publish
    form comes right after the panel, before the round's history."""
    rnd = w.spot()
    insp = rnd.inspections.get()
    w.score(insp, 70)
    panel = status_panel(_round_page(client, w.cd_reviewer, rnd))
    assert panel["state"] == "进行中"
    assert panel["next"] == f"还有 1 个基地的检查结论未确认，全部确认后由{CD}公布检查结果"
    assert panel["actions_text"] == "当前无需您办理"
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    body = _round_page(client, w.cd_reviewer, rnd)
    panel = status_panel(body)
    assert panel["next"] == f"由{CD}公布检查结果" and panel["actions"] == ["公布检查结果"]
    assert_actions_before_history(body)
    assert body.index('data-action="publish"') < body.index('data-testid="inspections"')
    assert "组织检查" in body.split('id="sec-hist"', 1)[1]
    assert status_panel(_round_page(client, w.sc_reviewer, rnd))["actions_text"] == "当前无需您办理"
    services.round_publish(actor=w.cd_reviewer, round_id=rnd.pk)
    body = _round_page(client, w.cd_reviewer, rnd)
    panel = status_panel(body)
    assert panel["state"] == "结果已公布" and panel["next"] == "检查结果已公布，无需再办理"
    assert panel["actions_text"] == "当前无需您办理"
    assert "进行中 → 结果已公布" in body.split('id="sec-hist"', 1)[1]


def _rectification(w, days=10):
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="补齐管理制度",
        deadline=TODAY + datetime.timedelta(days=days),
    )
    return Rectification.objects.get(inspection=insp)


def _rectification_page(client, user, rect):
    return _page(client, user, reverse("inspections:rectification", args=[rect.pk]))


def test_open_rectification_puts_the_reply_form_below_the_panel_r27(client, w):
    """R-27: a rectification order waits for the base to report, before its deadline, what it has done."""
    rect = _rectification(w)
    body = _rectification_page(client, w.operator, rect)
    panel = status_panel(body)
    assert panel["state"] == "整改中"
    with translation.override("zh-hans"):
        assert panel["next"] == f"由受检基地在{date_format(rect.deadline)}前报送整改情况"
    assert panel["actions"] == ["报送整改情况"]
    assert_actions_before_history(body)
    assert body.index('data-action="reply"') < body.index("补齐管理制度")
    history = body.split('id="sec-hist"', 1)[1]
    assert "责令整改" in history and "— → 整改中" in history and "deadline=" not in history
    assert status_panel(_rectification_page(client, w.cd_reviewer, rect))["actions_text"] == "当前无需您办理"


def test_replied_rectification_waits_for_the_authority_to_check_it_r27(client, w):
    """R-27: the approving authority checks the base's reply: accepted, or back to rectification."""
    rect = _rectification(w)
    services.rectification_reply(actor=w.operator, rectification_id=rect.pk, reply="已整改")
    body = _rectification_page(client, w.cd_reviewer, rect)
    panel = status_panel(body)
    assert panel["state"] == "已报送整改情况" and panel["next"] == f"由{CD}验收整改情况"
    assert panel["actions"] == ["整改验收通过", "整改不到位，继续整改"]
    assert_actions_before_history(body)
    assert "报送整改情况" in body.split('id="sec-hist"', 1)[1]
    assert status_panel(_rectification_page(client, w.operator, rect))["actions_text"] == "当前无需您办理"


def test_overdue_rectification_leads_to_a_revocation_decision_r27_r28(client, w):
    """R-27, R-28: once the deadline has passed unresolved, a reviewer proposes revocation and an approver
    (not the one who proposed it) decides."""
    rect = _rectification(w)
    Rectification.objects.filter(pk=rect.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    panel = status_panel(_rectification_page(client, w.cd_reviewer, rect))
    assert panel["next"] == f"整改期限已过，由{CD}的审核员决定是否提出撤销基地资格"
    assert panel["actions"] == ["提出撤销基地资格"]
    assert status_panel(_rectification_page(client, w.operator, rect))["actions_text"] == "当前无需您办理"
    workflow.MACHINE.run(rect.pk, "propose_revocation", actor=w.cd_reviewer, comment="逾期未整改")
    body = _rectification_page(client, w.cd_approver, rect)
    panel = status_panel(body)
    assert panel["state"] == "拟撤销资格" and panel["next"] == f"由{CD}的审批人决定是否撤销基地资格"
    assert panel["actions"] == ["撤销基地资格", "不予撤销，继续整改"]
    assert_actions_before_history(body)
    assert status_panel(_rectification_page(client, w.cd_reviewer, rect))["actions_text"] == "当前无需您办理"
