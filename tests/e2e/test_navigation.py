"""The header in a real browser, for three roles at 1920, 1024 and 390 px: at most seven top-level entries, no
label wrapped, the user menu, sign-out and the language switch on screen, nothing wider than the viewport, the
menu button at 390 px, keyboard-operable dropdowns, and no serious or critical axe-core violation.

With UX_SHOTS_DIR set, the header of each role at 1024 px is saved there (nav-1024-<role>.png).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import blocking_violations
from tests.e2e.signin import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("UX_SHOTS_DIR", "")
WIDTHS = {"wide": (1920, 1000), "laptop": (1024, 768), "phone": (390, 844)}

# How tall a one-line label may be: its line height with some slack, never two lines.
ONE_LINE = """el => {
  const style = getComputedStyle(el);
  const inner = el.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
    - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
  return inner <= parseFloat(style.lineHeight) * 1.3;
}"""


def login(page, username):
    page.context.clear_cookies()
    sign_in(page, username)  # with the second step for staff


def inside_viewport(page, locator):
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width and box["y"] >= 0


def top_entries(page):
    return page.get_by_test_id("nav-main").locator(":scope > [data-testid=nav-top] > .nav-link")


def check_header(page, role):
    entries = top_entries(page)
    count = entries.count()
    assert 2 <= count <= 7, (role, count)
    for i in range(count):
        entry = entries.nth(i)
        expect(entry).to_be_visible()
        assert entry.evaluate(ONE_LINE), (role, entry.inner_text(), page.viewport_size)
        assert inside_viewport(page, entry), (role, entry.inner_text(), page.viewport_size)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), role
    language = page.get_by_test_id("language")
    assert inside_viewport(page, language), role
    page.get_by_test_id("user-menu").click()
    logout = page.get_by_test_id("logout")
    expect(logout).to_be_visible()
    assert inside_viewport(page, page.get_by_test_id("user-menu")), role
    assert inside_viewport(page, logout), role
    page.keyboard.press("Escape")
    violations = blocking_violations(page)
    assert not violations, (role, page.viewport_size, violations)


@pytest.fixture
def roles(provincial_admin, cd_admin, inst_admin):
    return {"provincial_admin": provincial_admin, "cd_admin": cd_admin, "inst_admin": inst_admin}


@pytest.mark.parametrize("width", ["wide", "laptop"])
def test_header_fits_for_three_roles(page, roles, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    for role, user in roles.items():
        login(page, user.username)
        if SHOTS and width == "laptop":
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.locator("header").screenshot(path=str(Path(SHOTS) / f"nav-1024-{role}.png"))
        check_header(page, role)


def test_menu_button_opens_the_menu_on_a_phone(page, roles):
    page.set_viewport_size({"width": 390, "height": 844})
    for role, user in roles.items():
        login(page, user.username)
        expect(page.get_by_test_id("nav-main")).to_be_hidden()
        page.get_by_test_id("nav-toggler").click()
        expect(page.get_by_test_id("nav-main")).to_be_visible()
        expect(page.get_by_test_id("nav-toggler")).to_have_attribute("aria-expanded", "true")
        check_header(page, role)


def test_task_dropdown_works_from_the_keyboard(page, provincial_admin):
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, provincial_admin.username)
    toggle = page.get_by_role("button", name="监督检查")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "违规举报"
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/**")
    # The current page's group is marked, and its entry carries aria-current.
    expect(page.get_by_role("button", name="监督检查")).to_have_class("nav-link dropdown-toggle active")
    expect(page.locator("[aria-current=page]", has_text="违规举报")).to_have_count(1)


def test_visitor_sees_the_public_pages_as_links(page, db):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto("/")
    names = [top_entries(page).nth(i).inner_text() for i in range(top_entries(page).count())]
    assert names == ["基地名录", "公示公告", "举报查询", "优秀基地", "学时证明验证", "开放数据"]
    assert inside_viewport(page, page.get_by_test_id("language"))
    assert not blocking_violations(page)
