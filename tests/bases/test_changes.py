"""Change requests (R-34, R-33, R-30): approved by the approving authority, then applied, published and filed."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from bases import services, workflow
from bases.models import BaseVersion, ChangeRequest, FeeStandard, Filing, Notice
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from tests.status_panel import assert_actions_before_history, status_panel

pytestmark = pytest.mark.django_db


def proposal(base, **changes):
    facts = services.base_facts(base)
    facts.update(changes)
    return facts


def test_operator_cannot_request_a_change_of_another_base(reg):
    theirs = reg.base(institution=reg.other_inst, authority=reg.mianyang, region="510703")
    with pytest.raises(NotVisible):
        services.change_request_create(
            actor=reg.operator, base=theirs, proposed=proposal(theirs, name="x"), reasons="r"
        )
    assert not ChangeRequest.objects.exists()


def test_approval_changes_the_base_publishes_files_and_versions(reg):
    base = reg.base(name="旧名称基地")
    cr = services.change_request_create(
        actor=reg.operator,
        base=base,
        proposed=proposal(base, name="新名称基地", contact_phone="028-2"),
        reasons="更名",
    )
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(cr, "approve", actor=reg.cd_reviewer)
    with pytest.raises(NotVisible):
        workflow.MACHINE.run(cr, "approve", actor=reg.my_approver)
    workflow.MACHINE.run(cr, "approve", actor=reg.cd_approver, comment="同意")
    base.refresh_from_db()
    assert base.name == "新名称基地" and base.contact_phone == "028-2"
    assert "新名称基地" in base.search_text
    notice = Notice.objects.get(kind="change", base=base)
    assert "旧名称基地" in notice.body and "新名称基地" in notice.body
    filing = Filing.objects.get(base=base, kind="change")
    assert filing.filed_with == reg.province and filing.change_request == cr
    version = BaseVersion.objects.filter(base=base).latest("number")
    assert version.approved_by == reg.cd_approver and version.facts["name"] == "新名称基地"
    assert AuditEvent.objects.filter(action="change_request.approve", object_id=str(cr.pk)).count() == 1
    with pytest.raises(WrongState):
        workflow.MACHINE.run(cr, "approve", actor=reg.cd_approver)


def test_return_then_resubmit_then_withdraw(reg):
    base = reg.base()
    cr = services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, address="新地址"), reasons="搬迁"
    )
    with pytest.raises(InvalidInput):
        workflow.MACHINE.run(cr, "return", actor=reg.cd_reviewer)
    workflow.MACHINE.run(cr, "return", actor=reg.cd_reviewer, comment="请附租赁合同")
    cr.refresh_from_db()
    assert cr.state == "returned"
    workflow.MACHINE.run(
        cr,
        "resubmit",
        actor=reg.operator,
        proposed=proposal(base, address="更新的地址"),
        reasons="搬迁，附合同",
    )
    cr.refresh_from_db()
    assert cr.state == "submitted" and cr.proposed["address"] == "更新的地址"
    workflow.MACHINE.run(cr, "withdraw", actor=reg.operator)
    base.refresh_from_db()
    assert base.address != "更新的地址"


def test_only_one_open_request_per_base(reg):
    base = reg.base()
    services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, address="甲"), reasons="r"
    )
    with pytest.raises(WrongState, match="待审批"):
        services.change_request_create(
            actor=reg.operator, base=base, proposed=proposal(base, address="乙"), reasons="r"
        )


def test_fee_increase_is_marked_for_the_approver(client, reg):
    from bases.models import FeeStandard

    base = reg.base()
    FeeStandard.objects.create(base=base, item="面授", amount="500.00", unit="人")
    fees = [{"item": "面授", "amount": "650", "unit": "人", "note": ""}]
    cr = services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, fees=fees), reasons="成本上升"
    )
    assert cr.fee_increase
    client.force_login(reg.cd_approver)
    body = client.get(reverse("bases:change", args=[cr.pk])).content.decode()
    assert 'data-testid="fee-increase"' in body and "由 500.00 元提高到 650.00 元" in body
    lower = reg.base(name="降价基地")
    FeeStandard.objects.create(base=lower, item="面授", amount="500.00", unit="人")
    cr2 = services.change_request_create(
        actor=reg.operator,
        base=lower,
        proposed=proposal(lower, fees=[{"item": "面授", "amount": "400", "unit": "人"}]),
        reasons="降价",
    )
    assert not cr2.fee_increase


def test_misleading_platform_name_is_refused(reg):
    """R-30 (Art. 26): platform names must not mislead or claim a monopoly."""
    base = reg.base()
    with pytest.raises(InvalidInput) as exc:
        services.change_request_create(
            actor=reg.operator,
            base=base,
            proposed=proposal(base, platform_name="四川唯一官方继续教育平台"),
            reasons="r",
        )
    assert "platform_name" in exc.value.field_errors


def test_bad_input_changes_nothing(reg):
    base = reg.base()
    with pytest.raises(InvalidInput) as exc:
        services.change_request_create(
            actor=reg.operator,
            base=base,
            proposed=proposal(base, name="", platform_url="ftp://x", fees=[{"item": "a", "amount": "abc"}]),
            reasons="r",
        )
    assert {"name", "platform_url", "fees"} <= set(exc.value.field_errors)
    assert not ChangeRequest.objects.exists()


def rows(prefix, items):
    """POST data of a formset of rows, as the change form sends it."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(items)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, item in enumerate(items):
        data.update({f"{prefix}-{i}-{k}": v for k, v in item.items()})
    return data


def test_a_started_fee_row_without_amount_is_refused_and_every_row_is_shown_again(client, reg):
    base = reg.base()
    client.force_login(reg.operator)
    response = client.post(
        reverse("bases:change_new", args=[base.pk]),
        {
            "name": base.name,
            "contact_name": "新联系人",
            "contact_phone": "028-9",
            **rows("fees", [{"item": "面授", "amount": "300"}, {"item": "线上课程", "amount": "三百"}]),
            **rows("partners", [{"kind": "", "name": "乙公司"}]),
            "reasons": "调整",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
    assert "金额应为数字" in summary and 'href="#id_fees-1-amount"' in summary
    assert "请选择合作单位的类别" in summary and 'href="#id_partners-0-kind"' in summary
    assert 'value="线上课程"' in html and 'value="三百"' in html and 'value="乙公司"' in html
    assert not ChangeRequest.objects.exists()


def test_the_change_form_starts_with_the_current_fees_as_rows(client, reg):
    base = reg.base()
    FeeStandard.objects.create(base=base, item="面授", amount="300", unit="人")
    client.force_login(reg.operator)
    html = client.get(reverse("bases:change_new", args=[base.pk])).content.decode()
    assert 'name="fees-0-item"' in html and 'value="面授"' in html and 'name="fees-1-item"' in html
    assert 'name="fees-TOTAL_FORMS"' in html and "__prefix__" in html


def test_change_pages_for_operator_and_authority(client, reg):
    base = reg.base()
    client.force_login(reg.operator)
    assert client.get(reverse("bases:history", args=[base.pk])).status_code == 200
    response = client.post(
        reverse("bases:change_new", args=[base.pk]),
        {
            "name": base.name,
            "contact_name": "新联系人",
            "contact_phone": "028-9",
            **rows("fees", [{"item": "面授", "amount": "300", "unit": "人"}, {}]),
            **rows("partners", [{"kind": "industry", "name": "甲公司", "description": "实训"}]),
            "reasons": "调整",
        },
    )
    assert response.status_code == 302
    cr = ChangeRequest.objects.get()
    assert cr.proposed["partners"] == [{"kind": "industry", "name": "甲公司", "description": "实训"}]
    assert cr.proposed["fees"] == [{"item": "面授", "amount": "300.00", "unit": "人", "note": ""}]
    client.force_login(reg.other_operator)
    assert client.get(reverse("bases:change", args=[cr.pk])).status_code == 404
    assert client.get(reverse("bases:change_new", args=[base.pk])).status_code == 404
    client.force_login(reg.sc_reviewer)
    assert (
        client.get(reverse("bases:change", args=[cr.pk])).status_code == 200
    )  # the province sees every request


def _change_page(client, user, cr):
    client.force_login(user)
    return client.get(reverse("bases:change", args=[cr.pk])).content.decode()


def test_change_request_page_shows_the_approver_its_decision_at_the_top(client, reg):
    """R-34: a submitted request waits for its approving authority; the approver's decision form comes right
    after the panel, before the request's history."""
    base = reg.base()
    cr = services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, contact_phone="028-9"), reasons="换号"
    )
    body = _change_page(client, reg.cd_approver, cr)
    panel = status_panel(body)
    assert panel["state"] == "待审批"
    assert panel["next"] == "由成都市人力资源和社会保障局审批（批准或退回）"
    assert panel["actions"] == ["批准变更并公布", "退回"]
    assert_actions_before_history(body)
    assert body.index('data-action="approve"') < body.index('data-testid="change-rows"')
    assert "提交变更申请" in body.split('id="sec-hist"')[1]
    # A reviewer may only return it; the province sees it but does not act on a Chengdu base's request.
    assert status_panel(_change_page(client, reg.cd_reviewer, cr))["actions"] == ["退回"]
    assert status_panel(_change_page(client, reg.sc_reviewer, cr))["actions_text"] == "当前无需您办理"


def test_returned_change_request_puts_the_resubmit_form_right_below_the_panel(client, reg):
    """R-34: a returned request waits for the base, which resubmits it from the form below the panel."""
    base = reg.base()
    cr = services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, address="新地址"), reasons="搬迁"
    )
    workflow.MACHINE.run(cr, "return", actor=reg.cd_reviewer, comment="请附租赁合同")
    body = _change_page(client, reg.operator, cr)
    panel = status_panel(body)
    assert panel["state"] == "已退回"
    assert panel["next"] == "由测试基地修改后重新提交，或撤回申请"
    assert panel["actions"] == ["修改后重新提交", "撤回申请"]
    assert body.index("请附租赁合同") < body.index('data-testid="status-panel"')
    assert_actions_before_history(body)
    actions = body.split('id="actions"', 1)[1].split('id="sec-hist"', 1)[0]
    assert 'data-action="resubmit"' in actions and 'data-action="withdraw"' in actions
    assert body.index('data-action="resubmit"') < body.index('data-testid="change-rows"')
    assert status_panel(_change_page(client, reg.cd_approver, cr))["actions_text"] == "当前无需您办理"


def test_decided_change_request_needs_nobody(client, reg):
    """R-34: once approved, the panel says nobody needs to act."""
    base = reg.base()
    cr = services.change_request_create(
        actor=reg.operator, base=base, proposed=proposal(base, contact_phone="028-9"), reasons="换号"
    )
    workflow.MACHINE.run(cr, "approve", actor=reg.cd_approver, comment="同意")
    panel = status_panel(_change_page(client, reg.operator, cr))
    assert panel["state"] == "已批准" and panel["next"] == "已批准并公布，无需再办理"
    assert panel["actions_text"] == "当前无需您办理"
