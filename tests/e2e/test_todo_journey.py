"""我的待办 as the starting point, in a real browser: each role signs in, lands on 我的待办, and every item
there opens its object page in one click (so every staff task is at most 2 clicks away: the item, then the
action on the object's page). axe-core finds no serious or critical violation on 我的待办 or on the object
pages. With UX_SHOTS_DIR set, screenshots of four roles' 我的待办 at 1280 px are saved there.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import blocking_violations
from tests.e2e.signin import sign_in
from tests.portal.todo_world import TodoWorld

pytestmark = pytest.mark.django_db(transaction=True)

# Screenshots are taken only when asked for: UX_SHOTS_DIR=/tmp/ux-shots pytest tests/e2e/test_todo_journey.py
SHOTS = os.environ.get("UX_SHOTS_DIR", "")


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- helpers ----------------------------------------------------------------------------------------------


def login(page, username):
    """Sign in through the login page as `username` (any previous session is dropped first)."""
    logout(page)
    sign_in(page, username)  # with the second step for staff


def logout(page):
    page.context.clear_cookies()


def todo_links(page):
    """(href, text) of every item on 我的待办."""
    links = page.get_by_test_id("todo").locator("a")
    return [(links.nth(i).get_attribute("href"), links.nth(i).inner_text()) for i in range(links.count())]


def object_name(title: str) -> str:
    """The name of the object an item is about: the words after "：", before any "（" or space."""
    return title.split("：", 1)[-1].split("（")[0].split(" ")[0]


def assert_accessible(page, where):
    violations = blocking_violations(page)
    assert not violations, f"{where}: {violations}"


def walk(page, username, *, shot=None, expect_at_least=1):
    """Sign in, check 我的待办, open each item from it and check the object page; return the hrefs."""
    login(page, username)
    if shot and SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / shot), full_page=True)
    assert_accessible(page, f"我的待办 of {username}")
    links = todo_links(page)
    assert len(links) >= expect_at_least, username
    for href, title in links:
        page.goto("/dashboard/")
        page.get_by_test_id("todo").get_by_role("link", name=title, exact=True).first.click()
        page.wait_for_load_state()
        assert page.url.endswith(href), (username, href, page.url)
        expect(page.locator("h1")).to_be_visible()
        assert "页面不存在" not in page.content(), href
        assert object_name(title) in page.locator("main").inner_text(), (username, title)
        assert_accessible(page, f"{username} → {href}")
    return [href for href, _title in links]


# --- the walk ---------------------------------------------------------------------------------------------


def test_each_roles_todo_items_open_their_objects_and_pass_axe(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    tw = TodoWorld()
    objects = tw.everything()

    reviewer = walk(page, "cd_reviewer", shot="todos-cd_reviewer-1280.png", expect_at_least=5)
    assert f"/bases/changes/{objects['change_request'].pk}/" in reviewer
    assert f"/bases/reports/{objects['report'].pk}/" in reviewer
    assert f"/inspections/{objects['planned_inspection'].pk}/" in reviewer

    approver = walk(page, "cd_approver", shot="todos-cd_approver-1280.png", expect_at_least=4)
    assert f"/inspections/{objects['scored_inspection'].pk}/" in approver
    assert f"/plans/{objects['submitted_plan'].pk}/" in approver

    operator = walk(page, "op", shot="todos-operator-1280.png", expect_at_least=3)
    assert f"/inspections/rectifications/{objects['rectification'].pk}/" in operator
    assert f"/applications/{objects['application'].pk}/" in operator

    assert walk(page, "host") == [f"/plans/{objects['host_plan'].pk}/"]
    expert = walk(page, "expert1")
    assert len(expert) == 1 and expert[0].startswith("/applications/expert/")
    walk(page, "new_admin", shot="todos-new-institution-1280.png", expect_at_least=2)


def test_empty_todos_say_what_will_appear(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    TodoWorld()
    login(page, "my_reviewer")
    expect(page.get_by_text("当前没有需要您处理的事项。")).to_be_visible()
    expect(page.get_by_text("暂无。这里会显示：公众举报的基地违规行为").first).to_be_visible()
    assert_accessible(page, "empty 我的待办")
