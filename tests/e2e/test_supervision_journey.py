"""The supervision journey in a real browser (R-25..R-29, R-15; 《办法》第二十三条、第二十四条、第二十五条):

an authority runs a spot check on a reported base, scores it unqualified, the base replies, the deadline
passes, the approver revokes; the public profile shows the revocation and the institution's new application
is refused.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import services as app_services
from bases.models import Base, InstitutionBar, MisconductReport, Notice
from inspections.models import ITEMS, Inspection, Rectification
from tests.e2e.signin import sign_in
from tests.factories import member
from tests.inspections.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)

REPORT_TEXT = "该基地以继续教育培训名义组织学员赴九寨沟旅游，培训课程仅半天，其余时间均为游览。"
REJECT_COMMENT = "整改报告未附课程安排和学员签到材料，违规活动未见纠正，请继续整改。"
PROPOSE_COMMENT = "整改期限已满，整改仍未达到要求，建议撤销基地资格。"
REVOKE_COMMENT = "经检查考核不合格，限期整改仍未达到要求。"


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    # The same settings as tests/bases/conftest.py (its autouse fixture does not reach this folder).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- helpers ----------------------------------------------------------------------------------------------


def login(page, username):
    """Sign in through the login page as `username` (any previous session is dropped first)."""
    logout(page)
    sign_in(page, username)  # with the second step for staff


def logout(page):
    page.context.clear_cookies()


def messages(page):
    return page.locator(".messages")


def rect_state(page):
    return page.get_by_test_id("rect-state")


def press(page, action):
    """Press a workflow button (data-action=ACTION); data-confirm dialogs are accepted by the page handler."""
    page.locator(f'button[data-action="{action}"]').click()


def transition(page, action, label, comment):
    """Fill the comment of the rectification action labelled `label` and press its button."""
    page.get_by_label(f"{label}：意见或理由（必填）").fill(comment)
    press(page, action)
    expect(messages(page)).to_contain_text(f"已完成：{label}")


# --- the journey ------------------------------------------------------------------------------------------


def test_reported_base_is_spot_checked_fails_rectification_and_is_revoked(page):
    w = World()
    base = w.b
    today = timezone.localdate()
    now = timezone.now()
    cd_admin = member(w.chengdu, Role.AUTHORITY_ADMIN, username="cd_admin")
    app_services.batch_create(
        actor=cd_admin,
        authority=w.chengdu,
        title="成都批次",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    page.on("dialog", lambda dialog: dialog.accept())  # every data-confirm form asks before it posts

    # 1. An anonymous visitor reports the base from its public profile and receives a receipt code.
    page.goto(f"/bases/{base.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("受检基地")
    page.get_by_role("link", name="举报违规行为").click()
    expect(page.get_by_role("heading", name="举报违规行为")).to_be_visible()
    page.get_by_label("举报类别").select_option(label="以继续教育名义组织旅游或无关活动")
    page.get_by_label("举报内容").fill(REPORT_TEXT)
    page.get_by_label("您的姓名").fill("张举报")
    page.get_by_label("您的联系电话").fill("13800001234")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    assert receipt
    report = MisconductReport.objects.get(base=base)
    assert report.receipt_code == receipt

    # 2. The Chengdu reviewer triages the report into a spot check and opens the spot check from it.
    login(page, "cd_reviewer")
    page.goto("/bases/reports/")
    page.get_by_role("link", name="受检基地").click()
    page.wait_for_url(f"**/bases/reports/{report.pk}/")
    expect(page.locator("main")).to_contain_text(REPORT_TEXT)
    page.get_by_label("转入抽查").check()
    page.get_by_label("处理意见").fill("举报事项具体，转入专项抽查。")
    page.get_by_role("button", name="提交处理决定").click()
    expect(messages(page)).to_contain_text("已处理该举报")
    press(page, "spot_check")
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    insp = Inspection.objects.get(base=base, report=report)
    assert page.url.endswith(f"/inspections/{insp.pk}/")
    inspection_url = f"/inspections/{insp.pk}/"
    expect(page.get_by_test_id("inspection-state")).to_be_visible()
    expect(page.get_by_role("link", name="由违规举报引起")).to_be_visible()

    # 3. The reviewer records the visit: two inspectors, nine items at 40 each → unqualified.
    page.get_by_label("检查日期").fill(today.isoformat())
    # Checkboxes by role and name: the header's user menu is labelled with the reviewer's name too, and the
    # 检查人员 choices are not grouped under their field label (see templates/includes/field.html).
    page.get_by_role("checkbox", name=w.cd_reviewer.display_name, exact=True).check()
    page.get_by_role("checkbox", name=w.cd_reviewer2.display_name, exact=True).check()
    for _key, label in ITEMS:
        page.get_by_label(f"{label}（0-100）").fill("40")
    page.get_by_label("检查意见").fill(
        "经现场核查，基地存在以培训名义组织旅游的情况，各项管理制度执行不到位。"
    )
    press(page, "score")
    expect(messages(page)).to_contain_text("已录入检查结果")
    expect(page.get_by_test_id("inspection-result")).to_have_text("不合格")
    expect(page.get_by_test_id("scores")).to_contain_text("师资队伍建设情况")
    expect(page.locator('button[data-action="confirm"]')).to_have_count(0)  # the reviewer cannot confirm

    # 4. The approver confirms the conclusion and orders a rectification with items and a deadline.
    login(page, "cd_approver")
    page.goto(inspection_url)
    expect(page.get_by_test_id("inspection-result")).to_have_text("不合格")
    page.get_by_label("整改事项（不合格时必填）").fill("立即停止以培训名义组织旅游活动；退还学员相关费用。")
    page.get_by_label("整改期限（不合格时必填）").fill((today + datetime.timedelta(days=5)).isoformat())
    press(page, "confirm")
    expect(messages(page)).to_contain_text("已确认检查结论")
    expect(page.get_by_test_id("inspection-state")).to_have_text("已确认")
    rect_link = page.get_by_role("link", name=re.compile("整改：整改中"))
    expect(rect_link).to_be_visible()
    rect = Rectification.objects.get(inspection=insp)
    assert Base.objects.get(pk=base.pk).status == Base.Status.RECTIFICATION
    rect_url = f"/inspections/rectifications/{rect.pk}/"

    # 5. The base operator finds the rectification and reports what was done.
    login(page, "op")
    page.goto("/inspections/rectifications/")
    page.get_by_role("link", name="受检基地").click()
    page.wait_for_url(f"**{rect_url}")
    expect(rect_state(page)).to_have_text("整改中")
    expect(page.locator("main")).to_contain_text("立即停止以培训名义组织旅游活动")
    page.get_by_label("整改情况").fill("已停止相关活动，正在整理退费名单。")
    press(page, "reply")
    expect(messages(page)).to_contain_text("已报送整改情况")
    expect(rect_state(page)).to_have_text("已报送整改情况")

    # 6. The reviewer finds the reply insufficient; the deadline passes; the reviewer proposes revocation.
    login(page, "cd_reviewer")
    page.goto(rect_url)
    expect(page.locator("main")).to_contain_text("已停止相关活动")
    transition(page, "reject", "整改不到位，继续整改", REJECT_COMMENT)
    expect(rect_state(page)).to_have_text("整改中")
    # Moving the deadline to yesterday stands in for the clock: the five days of the deadline have passed.
    Rectification.objects.filter(pk=rect.pk).update(deadline=today - datetime.timedelta(days=1))
    page.reload()
    expect(page.locator("main")).to_contain_text("已过期限")
    transition(page, "propose_revocation", "提出撤销基地资格", PROPOSE_COMMENT)
    expect(rect_state(page)).to_have_text("拟撤销资格")
    expect(page.locator('button[data-action="revoke"]')).to_have_count(0)  # only an approver revokes

    # 7. The approver revokes the base (the confirm dialog is accepted).
    login(page, "cd_approver")
    page.goto(rect_url)
    expect(rect_state(page)).to_have_text("拟撤销资格")
    transition(page, "revoke", "撤销基地资格", REVOKE_COMMENT)
    expect(rect_state(page)).to_have_text("已撤销资格")

    # 8. The public profile shows the revocation and its notice; the registry no longer lists the base.
    logout(page)
    page.goto(f"/bases/{base.pk}/")
    expect(page.get_by_test_id("revoked")).to_be_visible()
    expect(page.get_by_test_id("base-status")).to_have_text("已撤销")
    expect(page.get_by_role("link", name="举报违规行为")).to_have_count(0)
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_role("link", name=re.compile("取消|撤销"))).to_have_count(1)
    expect(timeline).to_contain_text("受检基地")
    page.goto("/bases/")
    expect(page.locator("#results-heading")).to_have_text("共 0 个基地")
    expect(page.locator("main")).not_to_contain_text("受检基地")

    # 9. The reporter looks the receipt up and sees the outcome of the spot check.
    page.goto(f"/reports/lookup/?code={receipt}")
    status = page.get_by_test_id("report-status")
    expect(status).to_contain_text("受检基地")
    expect(status).to_contain_text("不合格")

    # 10. The institution's operator may not apply again (《办法》第二十四条).
    login(page, "op")
    page.goto("/applications/batches/")
    expect(page.get_by_role("alert").filter(has_text="第二十四条")).to_be_visible()
    expect(page.get_by_role("button", name="以“测试学院”名义申报")).to_have_count(0)

    # The database agrees.
    assert Base.objects.get(pk=base.pk).status == Base.Status.REVOKED
    assert InstitutionBar.objects.filter(
        institution=w.inst, reason=InstitutionBar.Reason.BASE_REVOKED
    ).exists()
    assert Notice.objects.filter(base=base, kind=Notice.Kind.REVOCATION).count() == 1
    assert Rectification.objects.get(pk=rect.pk).state == Rectification.State.REVOKED
