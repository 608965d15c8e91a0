"""Misconduct reports (R-29): anyone reports with name and phone, the authority triages, the reporter looks up
the outcome with a receipt code; the reporter's identity is visible only to the authority."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bases import services
from bases.models import MisconductReport
from kit.errors import InvalidInput, NotVisible, PermissionRefused
from tests.status_panel import assert_actions_before_history, status_panel

pytestmark = pytest.mark.django_db

VALID = {
    "category": "fees_without_training",
    "description": "收取培训费后从未组织授课。",
    "reporter_name": "张三",
    "reporter_phone": "13800001111",
}


def test_public_report_gets_a_receipt_and_the_outcome_can_be_looked_up(client, reg):
    base = reg.base()
    response = client.post(reverse("bases:report_create", args=[base.pk]), VALID)
    assert response.status_code == 200
    report = MisconductReport.objects.get()
    assert report.receipt_code in response.content.decode()
    lookup = client.get(
        reverse("bases:report_lookup"), {"code": report.receipt_code.lower()}
    ).content.decode()
    assert "待处理" in lookup and "张三" not in lookup and "13800001111" not in lookup
    services.misconduct_report_triage(
        actor=reg.cd_reviewer, report=report, decision="spot_check", outcome="已安排专项抽查。"
    )
    lookup = client.get(reverse("bases:report_lookup"), {"code": report.receipt_code}).content.decode()
    assert "已转抽查" in lookup and "已安排专项抽查" in lookup
    assert "未找到" in client.get(reverse("bases:report_lookup"), {"code": "ZZZZZZZZZZZZ"}).content.decode()


def test_name_and_phone_are_required(reg):
    base = reg.base()
    with pytest.raises(InvalidInput) as exc:
        services.misconduct_report_create(
            base=base,
            category="other",
            description="足够长的举报内容描述",
            reporter_name="",
            reporter_phone="12",
        )
    assert set(exc.value.field_errors) == {"reporter_name", "reporter_phone"}
    assert not MisconductReport.objects.exists()


def test_reports_are_rate_limited(reg):
    base = reg.base()
    for i in range(5):
        services.misconduct_report_create(
            base=base, **{**VALID, "reporter_phone": f"1380000000{i}"}, ip_address="10.1.1.1"
        )
    with pytest.raises(PermissionRefused, match="频繁"):
        services.misconduct_report_create(
            base=base, **{**VALID, "reporter_phone": "13900000000"}, ip_address="10.1.1.1"
        )
    assert MisconductReport.objects.count() == 5


def test_reporter_identity_is_visible_only_to_the_authority(client, reg):
    base = reg.base()
    report = services.misconduct_report_create(base=base, **VALID)
    client.force_login(reg.cd_reviewer)
    assert "13800001111" in client.get(reverse("bases:report", args=[report.pk])).content.decode()
    client.force_login(reg.operator)  # the reported base's own staff
    assert client.get(reverse("bases:report", args=[report.pk])).status_code == 404
    client.force_login(reg.my_approver)
    assert client.get(reverse("bases:report", args=[report.pk])).status_code == 404
    assert "13800001111" not in client.get(reverse("bases:detail", args=[base.pk])).content.decode()


def test_triage_by_another_authority_is_refused(reg):
    report = services.misconduct_report_create(base=reg.base(), **VALID)
    with pytest.raises(NotVisible):
        services.misconduct_report_triage(
            actor=reg.my_approver, report=report, decision="dismissed", outcome="x"
        )
    with pytest.raises(InvalidInput):
        services.misconduct_report_triage(
            actor=reg.cd_reviewer, report=report, decision="dismissed", outcome=""
        )
    services.misconduct_report_triage(
        actor=reg.cd_reviewer, report=report, decision="dismissed", outcome="查无实据。"
    )
    report.refresh_from_db()
    assert report.status == "dismissed" and report.triaged_by == reg.cd_reviewer


def _report_page(client, user, report):
    client.force_login(user)
    return client.get(reverse("bases:report", args=[report.pk])).content.decode()


def test_open_report_puts_the_triage_form_right_after_the_panel_r29(client, reg):
    """R-29: a report waits for the reported base's authority to dismiss it or send it to a spot check."""
    report = services.misconduct_report_create(base=reg.base(), **VALID)
    body = _report_page(client, reg.cd_reviewer, report)
    panel = status_panel(body)
    assert panel["state"] == "待处理"
    assert panel["next"] == "由成都市人力资源和社会保障局处理（不予立案或转入抽查）"
    assert panel["actions"] == ["提交处理决定"]
    assert_actions_before_history(body)
    assert body.index('name="decision"') < body.index("收取培训费后从未组织授课")
    history = body.split('id="sec-hist"', 1)[1]
    assert "公众" in history and "收到违规举报" in history and "fees_without_training" not in history
    assert status_panel(_report_page(client, reg.sc_reviewer, report))["actions_text"] == "当前无需您办理"


def test_report_sent_to_a_spot_check_offers_the_spot_check_to_its_authority_only_r29(client, reg):
    """R-29: reports lead to spot checks, opened by the reported base's authority from the report."""
    from inspections.models import Inspection
    from inspections.services import round_create

    report = services.misconduct_report_create(base=reg.base(), **VALID)
    services.misconduct_report_triage(
        actor=reg.cd_reviewer, report=report, decision="spot_check", outcome="转入抽查。"
    )
    body = _report_page(client, reg.cd_approver, report)
    panel = status_panel(body)
    assert panel["state"] == "已转抽查"
    assert panel["next"] == "由成都市人力资源和社会保障局组织专项抽查"
    assert panel["actions"] == ["组织专项抽查"]
    assert_actions_before_history(body)
    assert "待处理 → 已转抽查" in body.split('id="sec-hist"', 1)[1]
    province = _report_page(client, reg.sc_reviewer, report)
    assert status_panel(province)["actions_text"] == "当前无需您办理"
    assert 'data-action="spot_check"' not in province
    rnd = round_create(
        actor=reg.cd_reviewer,
        authority=reg.chengdu,
        kind="spot_check",
        year=timezone.localdate().year,
        title="专项抽查",
        base_ids=[report.base_id],
        report=report,
    )
    body = _report_page(client, reg.cd_approver, report)
    panel = status_panel(body)
    assert panel["next"] == "已组织专项抽查，后续在抽查页面办理"
    assert panel["actions_text"] == "当前无需您办理"
    assert reverse("inspections:inspection", args=[Inspection.objects.get(round=rnd).pk]) in body


def test_dismissed_report_needs_nobody_r29(client, reg):
    report = services.misconduct_report_create(base=reg.base(), **VALID)
    services.misconduct_report_triage(
        actor=reg.cd_reviewer, report=report, decision="dismissed", outcome="举报事项不属实。"
    )
    panel = status_panel(_report_page(client, reg.cd_reviewer, report))
    assert panel["state"] == "不予立案" and panel["next"] == "不予立案，已办结"
    assert panel["actions_text"] == "当前无需您办理"
