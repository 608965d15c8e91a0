"""Two factors in a real browser (等保 2.0 level 3): a reviewer's first sign-in forces enrolment (QR code and
secret, a code from the authenticator, backup codes shown once); the next sign-in asks for the code; a wrong
code is explained; a backup code signs in once. axe-core finds no serious or critical violation on any of its pages."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import Role
from audit.models import AuditEvent
from tests.e2e.axe import blocking_violations
from tests.e2e.signin import enter_code
from tests.factories import TEST_PASSWORD, OrganizationFactory, member
from tests.two_factor import totp_code, wrong_code

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for the secret typed in by hand (django_otp.oath's TOTP)."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_reviewer_enrols_on_first_sign_in_then_signs_in_with_a_code(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a good code follows the wrong one at once
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    chengdu = OrganizationFactory(name="成都市人力资源和社会保障局", region_id="510100")
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="browser_reviewer")

    password_step(page, "browser_reviewer")
    expect(page.get_by_role("heading", name="启用双因素认证")).to_be_visible()
    expect(page.get_by_test_id("enrolment-required")).to_be_visible()
    expect(page.get_by_role("img", name="用于认证器应用的二维码")).to_be_visible()
    assert blocking_violations(page) == []
    page.goto("/dashboard/")  # nothing else is reachable until enrolled
    assert "/accounts/login/" in page.url
    page.goto("/accounts/two-factor/enrol/")

    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("动态口令", exact=True).fill(wrong_code(TOTPDevice.objects.get(user=reviewer)))
    page.get_by_role("button", name="启用").click()
    expect(page.locator("#id_code_error")).to_contain_text("动态口令不正确")
    expect(page.get_by_label("动态口令", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("动态口令", exact=True).fill(code_from_secret(secret))
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_role("heading", name="请保存您的备用码")).to_be_visible()
    codes = page.get_by_test_id("backup-codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert blocking_violations(page) == []
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()

    password_step(page, "browser_reviewer")
    expect(page.get_by_role("heading", name="输入动态口令")).to_be_visible()
    assert blocking_violations(page) == []
    enter_code(page, totp_code(TOTPDevice.objects.get(user=reviewer, confirmed=True)))
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()

    password_step(page, "browser_reviewer")
    enter_code(page, codes[0])
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    password_step(page, "browser_reviewer")
    enter_code(page, codes[0])
    expect(page.locator("#id_code_error")).to_contain_text("动态口令不正确")

    page.goto("/accounts/login/")
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=reviewer).count() == 1
    assert AuditEvent.objects.filter(action="auth.login", actor=reviewer).count() == 3
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor_name="browser_reviewer").count() == 2


def test_settings_page_passes_axe(page):
    chengdu = OrganizationFactory(name="成都市人力资源和社会保障局", region_id="510100")
    member(chengdu, Role.AUTHORITY_ADMIN, username="browser_admin")
    from tests.e2e.signin import sign_in

    sign_in(page, "browser_admin")
    page.goto("/accounts/two-factor/")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("已启用")
    assert blocking_violations(page) == []
    page.goto(f"/accounts/organizations/{chengdu.pk}/two-factor/")
    page.get_by_label("要求辖区内所有施教机构用户使用双因素认证登录").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("policy-state")).to_contain_text("已要求")
    assert blocking_violations(page) == []
