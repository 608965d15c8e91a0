"""The public registry and the change of a base's facts, in a real browser:

1. a visitor filters the registry by prefecture and level (the filter state lives in the URL) and opens a base;
2. a base operator asks to change the base's name, phone and fees; the approving authority approves; the
   public profile, its timeline and the notices page show the change.
"""

import re

import pytest
from playwright.sync_api import expect

from bases.models import Base, ChangeRequest, Notice
from tests.bases.conftest import Registry
from tests.e2e.signin import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


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


def results_heading(page):
    return page.locator("#results-heading")


def registry_names(page):
    """The base names listed in the results table, in order."""
    return page.get_by_test_id("registry").locator("tbody tr td:first-child > a")


# --- 1. a visitor filters by prefecture and level and opens a base ------------------------------------------


def test_visitor_filters_by_prefecture_and_level_and_opens_a_base(page, browser, live_server):
    reg = Registry()
    reg.base(name="锦江数字经济继续教育基地", region="510104", level="municipal", authority=reg.chengdu)
    wuhou = reg.base(
        name="武侯智能制造继续教育基地",
        region="510107",
        level="provincial",
        authority=reg.province,
        fields=("智能制造",),
    )
    national = reg.base(
        name="成都国家级继续教育基地", region="510107", level="national", authority=reg.province
    )
    revoked = reg.base(
        name="成都已撤销继续教育基地",
        region="510104",
        level="provincial",
        authority=reg.province,
        status="revoked",
    )
    reg.base(
        name="绵阳科技城继续教育基地",
        region="510703",
        level="provincial",
        authority=reg.province,
        institution=reg.other_inst,
    )
    reg.base(
        name="涪城区继续教育基地",
        region="510703",
        level="municipal",
        authority=reg.mianyang,
        institution=reg.other_inst,
    )

    page.goto("/")
    # Revoked bases are hidden unless asked for: 5 of the 6 are listed.
    expect(results_heading(page)).to_have_text("共 5 个基地")
    expect(registry_names(page)).to_have_count(5)
    expect(page.get_by_test_id("registry")).not_to_contain_text(revoked.name)

    prefecture = page.get_by_label("市（州）")
    level = page.get_by_label("级别", exact=True)
    expect(prefecture.locator("option", has_text="成都市")).to_have_text("成都市（3）")
    expect(prefecture.locator("option", has_text="绵阳市")).to_have_text("绵阳市（2）")
    # national bases count as provincial in the filter.
    expect(level.locator("option[value=provincial]")).to_have_text("省级（含国家级）（3）")

    # Choosing a prefecture submits the filter form.
    prefecture.select_option(label="成都市（3）")
    page.wait_for_url(re.compile(r"prefecture=510100"))
    expect(results_heading(page)).to_have_text("共 3 个基地")
    expect(registry_names(page)).to_have_count(3)
    for name in ["锦江数字经济继续教育基地", "武侯智能制造继续教育基地", "成都国家级继续教育基地"]:
        expect(page.get_by_test_id("registry")).to_contain_text(name)
    expect(page.get_by_test_id("registry")).not_to_contain_text("绵阳")
    # The level counts now count Chengdu's bases only; the county list of Chengdu is offered.
    level = page.get_by_label("级别", exact=True)
    expect(level.locator("option[value=provincial]")).to_have_text("省级（含国家级）（2）")
    expect(level.locator("option[value=national]")).to_have_text("国家级（1）")
    expect(level.locator("option[value=municipal]")).to_have_text("市（州）级（1）")
    expect(page.get_by_label("区县")).to_be_visible()

    # Then the level: the provincial filter lists the national base too, under its own label.
    level.select_option(label="省级（含国家级）（2）")
    page.wait_for_url(re.compile(r"level=provincial"))
    assert "prefecture=510100" in page.url
    expect(results_heading(page)).to_have_text("共 2 个基地")
    expect(registry_names(page)).to_have_count(2)
    national_row = page.get_by_test_id("registry").get_by_role("row").filter(has_text=national.name)
    expect(national_row).to_contain_text("国家级")
    expect(page.get_by_test_id("registry")).not_to_contain_text(revoked.name)
    expect(page.get_by_label("市（州）")).to_have_value("510100")
    expect(page.get_by_label("级别", exact=True)).to_have_value("provincial")
    # The revoked provincial base of Chengdu is counted under its status, not listed.
    expect(page.get_by_label("状态").locator("option[value=revoked]")).to_have_text("已撤销（1）")

    # The filter state lives in the URL: the same address in a fresh page shows the same result.
    filtered_url = page.url
    other = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    try:
        second = other.new_page()
        second.goto(filtered_url)
        expect(results_heading(second)).to_have_text("共 2 个基地")
        expect(registry_names(second)).to_have_count(2)
        expect(second.get_by_label("市（州）")).to_have_value("510100")
        expect(second.get_by_label("级别", exact=True)).to_have_value("provincial")
    finally:
        other.close()

    # Asking for every status shows the revoked base too, marked as such.
    page.get_by_label("状态").select_option("all")
    page.wait_for_url(re.compile(r"status=all"))
    expect(registry_names(page)).to_have_count(3)
    revoked_row = page.get_by_test_id("registry").get_by_role("row").filter(has_text=revoked.name)
    expect(revoked_row).to_contain_text("已撤销")
    page.go_back()
    expect(registry_names(page)).to_have_count(2)

    # Open the base by its name.
    page.get_by_test_id("registry").get_by_role("link", name=wuhou.name).click()
    page.wait_for_url(f"**/bases/{wuhou.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(wuhou.name)
    facts = page.get_by_test_id("base-facts")
    expect(facts).to_contain_text("批准部门")
    expect(facts).to_contain_text("四川省人力资源和社会保障厅")
    expect(facts).to_contain_text("证书编号")
    expect(facts).to_contain_text(wuhou.certificate_no)
    expect(facts).to_contain_text("测试学院")
    expect(facts).to_contain_text("成都市武侯区")
    expect(page.get_by_test_id("base-status")).to_have_text("正常")
    expect(page.locator("main")).to_contain_text("省级")


# --- 2. an operator's change request is approved and shown publicly ----------------------------------------


def test_change_request_is_approved_and_shown_on_the_public_profile_and_timeline(page):
    reg = Registry()
    base = reg.base(name="测试学院数字经济继续教育基地", region="510107", authority=reg.chengdu)
    new_name = "测试学院数字经济与智能制造继续教育基地"
    new_phone = "028-86668888"
    page.on("dialog", lambda d: d.accept())

    # The operator asks for the change.
    login(page, "op")
    page.goto("/bases/manage/")
    row = page.get_by_test_id("managed-bases").get_by_role("row").filter(has_text=base.name)
    row.get_by_role("link", name="信息与变更").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(base.name)
    expect(page.get_by_test_id("versions")).to_contain_text("028-1")
    page.get_by_role("link", name="申请变更基地信息").click()

    expect(page.get_by_role("heading", name="申请变更基地信息")).to_be_visible()
    expect(page.get_by_label("基地名称")).to_have_value(base.name)
    expect(page.get_by_label("联系电话")).to_have_value("028-1")
    page.get_by_label("基地名称").fill(new_name)
    page.get_by_label("联系电话").fill(new_phone)
    # Fees are rows of fields: add a row with the button (static JS), fill it, empty the first one.
    fees = page.get_by_test_id("rows-fees")
    fees.get_by_role("button", name="添加一行").click()
    fees.get_by_label("收费项目").last.fill("面授培训")
    fees.get_by_label("金额（元）").last.fill("800")
    expect(fees.get_by_label("计费单位").last).to_have_value("人")
    fees.get_by_role("button", name="删除此行").first.click()
    page.get_by_label("变更理由").fill(
        "基地培训领域扩展至智能制造，名称随之调整；更换联系电话；公布面授培训收费。"
    )
    page.get_by_role("button", name="提交变更申请").click()

    expect(messages(page)).to_contain_text("变更申请已提交")
    expect(page.get_by_test_id("change-state")).to_have_text("待审批")
    expect(page.get_by_test_id("fee-increase")).to_contain_text("面授培训")
    rows = page.get_by_test_id("change-rows")
    expect(rows.get_by_role("row").filter(has_text="基地名称")).to_contain_text(new_name)
    expect(rows.get_by_role("row").filter(has_text="联系电话")).to_contain_text(new_phone)
    cr = ChangeRequest.objects.get(base=base)
    assert cr.state == ChangeRequest.State.SUBMITTED
    # Nothing public changes before the approval.
    base.refresh_from_db()
    assert base.name != new_name

    # The approver of the Chengdu bureau finds it in the base management list and approves it.
    login(page, "cd_approver")
    page.goto("/bases/manage/")
    expect(page.get_by_role("heading", name="待处理的变更申请")).to_be_visible()
    pending = page.locator("main li").filter(has_text=base.name)
    expect(pending).to_contain_text("涉及提高收费")
    pending.get_by_role("link", name=base.name).click()
    page.wait_for_url(f"**/bases/changes/{cr.pk}/")

    rows = page.get_by_test_id("change-rows")
    name_row = rows.get_by_role("row").filter(has_text="基地名称")
    expect(name_row).to_contain_text(base.name)
    expect(name_row).to_contain_text(new_name)
    expect(name_row).to_have_class(re.compile("table-warning"))
    expect(rows.get_by_role("row").filter(has_text="联系电话")).to_contain_text(new_phone)
    expect(rows).to_contain_text("面授培训 800.00 元/人")
    expect(page.get_by_test_id("fee-increase")).to_contain_text("面授培训")
    page.get_by_label("批准变更并公布：意见（可选）").fill("同意变更。")
    page.locator("button[data-action=approve]").click()

    expect(messages(page)).to_contain_text("已完成：批准变更并公布")
    expect(page.get_by_test_id("change-state")).to_have_text("已批准")
    expect(page.locator("main")).to_contain_text("同意变更。")
    expect(page.locator("button[data-action]")).to_have_count(0)
    cr.refresh_from_db()
    assert cr.state == ChangeRequest.State.APPROVED

    # An anonymous visitor sees the new facts, the fee and the change notice.
    logout(page)
    page.goto(f"/bases/{base.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(new_name)
    expect(page.get_by_test_id("base-facts")).to_contain_text(new_phone)
    fee_row = page.get_by_test_id("fees").get_by_role("row").filter(has_text="面授培训")
    expect(fee_row).to_contain_text("800")
    expect(fee_row).to_contain_text("人")
    timeline = page.get_by_test_id("timeline")
    change_item = timeline.get_by_role("link", name=re.compile("变更"))
    expect(change_item).to_have_count(1)
    expect(change_item).to_contain_text(new_name)
    expect(timeline).to_contain_text("信息变更")

    notice = Notice.objects.get(base=base, kind=Notice.Kind.CHANGE)
    page.goto("/notices/")
    listed = page.get_by_test_id("notices").get_by_role("listitem").filter(has_text=notice.title)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("成都市人力资源和社会保障局")
    listed.get_by_role("link", name=notice.title).click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    expect(page.locator("main")).to_contain_text(f"联系电话：028-1 → {new_phone}")
    expect(page.locator("main")).to_contain_text("面授培训 800.00 元/人")

    # And the registry finds the base by its new name.
    page.goto("/?q=智能制造")
    expect(registry_names(page)).to_have_text([new_name])
    assert Base.objects.get(pk=base.pk).contact_phone == new_phone
