"""Sign in through the real pages, second step included: staff (and anyone who needs two factors) get an
authenticator on a known secret, and the code is computed from it with django_otp.oath as an app would."""

from playwright.sync_api import expect

from accounts.models import User
from accounts.two_factor import two_factor_required
from tests.factories import TEST_PASSWORD
from tests.two_factor import totp_code, totp_device


def sign_in(page, username, password=TEST_PASSWORD):
    """Sign in as `username` from the login page and land on 我的待办."""
    user = User.objects.get(username=username)
    device = totp_device(user) if two_factor_required(user) else None
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    if device is not None:
        enter_code(page, totp_code(device))
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()


def enter_code(page, code):
    page.get_by_label("动态口令", exact=True).fill(code)
    page.get_by_role("button", name="验证并登录").click()
