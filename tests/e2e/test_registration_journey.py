"""Issue 2's journey in a real browser: an institution registers, signs in, lands on 我的待办, signs out."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organization, User
from tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_institution_registers_signs_in_lands_on_dashboard_and_signs_out(page):
    code = valid_credit_code()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("继续教育基地管理平台")
    page.get_by_role("link", name="施教机构注册").first.click()

    page.get_by_label("机构名称").fill("浏览器测试学院")
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("机构类型").select_option("university")
    page.get_by_label("所在区县").select_option("510107")
    page.get_by_label("地址").fill("成都市武侯区测试路 8 号")
    page.get_by_label("管理员姓名").fill("李四")
    page.get_by_label("联系电话").fill("028-87654321")
    page.get_by_label("电子邮箱").fill("lisi@example.test")
    page.get_by_label("用户名").fill("browser_admin")
    page.get_by_label("密码", exact=True).fill("Browser-Test-2026")
    page.get_by_label("确认密码").fill("Browser-Test-2026")
    page.get_by_role("button", name="注册").click()

    expect(page.get_by_role("alert")).to_contain_text("注册成功")
    assert Organization.objects.filter(credit_code=code, kind="institution").exists()
    expect(page.get_by_label("用户名")).to_have_value("browser_admin")
    page.get_by_label("密码").fill("Browser-Test-2026")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.locator("main")).to_contain_text("浏览器测试学院 · 机构管理员")
    # Issue 13: the registration waits for the authority's confirmation before the institution may apply.
    expect(page.locator("main")).to_contain_text("本机构注册待主管部门确认")

    page.get_by_role("button", name="李四").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("link", name="登录").first).to_be_visible()
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url
    assert User.objects.get(username="browser_admin").is_active


def test_wrong_check_character_is_explained_in_the_browser(page):
    code = valid_credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    page.goto("/accounts/register/")
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_role("button", name="注册").click()
    expect(page.locator("#id_credit_code_error")).to_contain_text("校验位不正确")
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("aria-invalid", "true")


def test_refused_form_shows_an_error_summary_that_takes_focus_links_to_fields_and_keeps_input(page):
    """Issue 14, Forms and errors: the GOV.UK pattern — a summary at the top that receives focus, one link per
    refused field that moves focus to it, the message at each field, and everything typed still there."""
    from tests.e2e.axe import blocking_violations

    page.goto("/accounts/register/")
    page.get_by_label("机构名称").fill("保留输入测试学院")
    page.get_by_label("统一社会信用代码").fill("12345")
    page.get_by_label("地址").fill("成都市武侯区测试路 9 号")
    page.get_by_label("电子邮箱").fill("not-an-address")
    page.get_by_label("用户名").fill("kept_admin")
    page.get_by_role("button", name="注册").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    assert links.count() >= 3
    expect(summary).to_contain_text("统一社会信用代码")
    expect(summary).not_to_contain_text("该字段是必填项")
    summary.get_by_role("link").filter(has_text="电子邮箱").click()
    expect(page.get_by_label("电子邮箱")).to_be_focused()
    expect(page.locator("#id_email_error")).to_be_visible()

    expect(page.get_by_label("机构名称")).to_have_value("保留输入测试学院")
    expect(page.get_by_label("统一社会信用代码")).to_have_value("12345")
    expect(page.get_by_label("地址")).to_have_value("成都市武侯区测试路 9 号")
    expect(page.get_by_label("电子邮箱")).to_have_value("not-an-address")
    expect(page.get_by_label("用户名")).to_have_value("kept_admin")
    assert not Organization.objects.filter(name="保留输入测试学院").exists()
    assert blocking_violations(page) == []
