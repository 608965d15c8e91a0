"""Print styles: a browser print of an object page shows its content only (no navigation, buttons or forms)."""

import pytest
from playwright.sync_api import expect

from tests.bases.conftest import Registry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_base_profile_prints_without_header_buttons_or_forms(page):
    base = Registry().base(name="打印测试基地")
    page.goto(f"/bases/{base.pk}/")
    header = page.locator(".portal-header")
    certificate = page.get_by_test_id("certificate-pdf")
    expect(header).to_be_visible()
    expect(certificate).to_be_visible()
    page.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(page.locator(".portal-footer")).to_be_hidden()
    expect(certificate).to_be_hidden()  # a button
    expect(page.get_by_role("heading", name="打印测试基地")).to_be_visible()
    expect(page.get_by_test_id("base-facts")).to_be_visible()
    link_color = page.locator("main a").first.evaluate("a => getComputedStyle(a).color")
    assert link_color == "rgb(0, 0, 0)"
