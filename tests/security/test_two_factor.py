"""Staff sign in with two factors (等保 2.0 level 3, GB/T 22239-2019 §8.1.4.1; DESIGN.md "Personal data and
security"): each test replays a way of signing in as staff with a password alone, or of getting round the code,
and asserts it fails.

django-otp's per-device throttle (a delay doubling after each wrong code) is set to 0 where a test sends a
good code right after a wrong one; its own test keeps it on.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.views_two_factor import PENDING_KEY
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, OrganizationFactory, member
from tests.two_factor import totp_code, totp_device, wrong_code

pytestmark = pytest.mark.django_db

STAFF_ROLES = [
    Role.AUTHORITY_REVIEWER,
    Role.AUTHORITY_APPROVER,
    Role.AUTHORITY_ADMIN,
    Role.EXPERT,
    Role.PROVINCIAL_ADMIN,
]


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def reviewer(chengdu):
    return member(chengdu, Role.AUTHORITY_REVIEWER, username="reviewer")


@pytest.fixture
def enrolled(reviewer):
    totp_device(reviewer)
    return reviewer


def sign_in(client, username="reviewer", password=TEST_PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def send_code(client, code):
    return client.post(reverse("accounts:two_factor_verify"), {"code": code})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def staff_of(role, province, chengdu):
    if role == Role.EXPERT:
        org = OrganizationFactory(name="专家库", kind="expert_pool", region_id="510000")
    else:
        org = province if role == Role.PROVINCIAL_ADMIN else chengdu
    return member(org, role, username=f"staff_{role}")


# --- password alone ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_password_alone_does_not_sign_in_but_leads_to_enrolment(client, role, province, chengdu):
    staff_of(role, province, chengdu)
    response = sign_in(client, f"staff_{role}")
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_enrol")
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_superuser_password_alone_does_not_sign_in(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    response = sign_in(client, "root")
    assert response.url == reverse("accounts:two_factor_enrol")
    assert not signed_in(client)


def test_staff_during_enrolment_can_reach_nothing_else(client, reviewer):
    sign_in(client)
    for name in ("portal:dashboard", "accounts:password_change", "accounts:organizations"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), name
    assert client.get(reverse("api-me")).status_code in (401, 403)
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


def test_staff_with_an_authenticator_is_asked_for_the_code(client, enrolled):
    response = sign_in(client)
    assert response.url == reverse("accounts:two_factor_verify")
    assert not signed_in(client)
    page = client.get(response.url)
    assert "动态口令" in page.content.decode()


def test_code_step_without_a_password_first_goes_to_sign_in(client, enrolled):
    response = send_code(client, totp_code(totp_device(enrolled)))
    assert response.url == reverse("accounts:login")
    assert not signed_in(client)


def test_pending_sign_in_expires(client, enrolled, settings):
    sign_in(client)
    settings.TWO_FACTOR_PENDING_SECONDS = -1
    response = send_code(client, totp_code(totp_device(enrolled)))
    assert response.url == reverse("accounts:login")
    assert not signed_in(client)


def test_password_changed_during_the_code_step_ends_the_pending_sign_in(client, enrolled):
    sign_in(client)
    enrolled.set_password("Another-Str0ng-pass")
    enrolled.save(update_fields=["password"])
    response = send_code(client, totp_code(totp_device(enrolled)))
    assert response.url == reverse("accounts:login")
    assert not signed_in(client)


# --- enrolment ----------------------------------------------------------------------------------------------


def test_enrolment_shows_an_offline_qr_code_and_the_secret(client, reviewer):
    sign_in(client)
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    from accounts.two_factor import totp_secret_base32

    assert totp_secret_base32(device) in page
    # A reload keeps the secret the user may already have scanned.
    client.get(reverse("accounts:two_factor_enrol"))
    assert TOTPDevice.objects.filter(user=reviewer).count() == 1


def test_enrolment_with_a_good_code_signs_in_shows_backup_codes_once_and_is_audited(client, reviewer):
    sign_in(client, next="/plans/")
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": totp_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert response.context["next"] == "/plans/"
    assert signed_in(client) and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    device.refresh_from_db()
    assert device.confirmed
    # Only digests are stored, never the codes shown.
    stored = set(StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=reviewer).count() == 1
    assert AuditEvent.objects.filter(action="auth.login", actor=reviewer).count() == 1
    # Shown once: the page is not there to come back to.
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 302


def test_enrolment_wrong_code_is_refused_and_counted(client, reviewer):
    sign_in(client)
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    assert not signed_in(client)
    device.refresh_from_db()
    assert not device.confirmed
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 1
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor_name="reviewer").count() == 1


# --- the code step ----------------------------------------------------------------------------------------


def test_good_code_signs_in_to_where_the_user_was_going(client, enrolled):
    sign_in(client, next="/plans/")
    response = send_code(client, totp_code(totp_device(enrolled)))
    assert response.status_code == 302 and response.url == "/plans/"
    assert signed_in(client)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=enrolled).count() == 1


def test_wrong_code_is_refused_counted_and_audited(client, enrolled):
    sign_in(client)
    response = send_code(client, wrong_code(totp_device(enrolled)))
    assert response.status_code == 200
    assert "动态口令不正确" in response.content.decode()
    assert not signed_in(client)
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 1
    event = AuditEvent.objects.get(action="auth.otp_failed")
    assert (event.actor_name, event.object_id, event.ip_address) == (
        "reviewer",
        str(enrolled.pk),
        "127.0.0.1",
    )


def test_five_wrong_codes_lock_out_even_the_right_code(client, enrolled, no_throttle):
    device = totp_device(enrolled)
    sign_in(client)
    for _ in range(4):
        assert send_code(client, wrong_code(device)).status_code == 200
    fifth = send_code(client, wrong_code(device))
    assert fifth.status_code == 429
    assert "已被锁定 30 分钟" in fifth.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_name="reviewer").count() == 1
    # Locked: neither the password nor a good code gets in now.
    assert sign_in(client).status_code == 429
    assert send_code(client, totp_code(device)).url == reverse("accounts:login")
    assert not signed_in(client)


def test_wrong_passwords_and_wrong_codes_share_one_lockout(client, enrolled, no_throttle):
    device = totp_device(enrolled)
    for _ in range(3):
        sign_in(client, password="wrong-password")
    sign_in(client)
    send_code(client, wrong_code(device))
    response = send_code(client, wrong_code(device))
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 5


def test_lockout_reached_elsewhere_stops_the_code_step(client, enrolled, no_throttle):
    sign_in(client)
    AccessAttempt.objects.create(
        username="reviewer", ip_address="127.0.0.1", user_agent="", failures_since_start=5
    )
    response = send_code(client, totp_code(totp_device(enrolled)))
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_code_is_good_only_once(client, enrolled):
    device = totp_device(enrolled)
    code = totp_code(device)
    sign_in(client)
    send_code(client, code)
    assert signed_in(client)
    client.logout()
    sign_in(client)
    assert send_code(client, code).status_code == 200
    assert not signed_in(client)


def test_device_throttle_stays_on_beside_the_lockout(client, enrolled):
    device = totp_device(enrolled)
    sign_in(client)
    send_code(client, wrong_code(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not device.verify_is_allowed()[0]


def test_backup_code_signs_in_once(client, reviewer, no_throttle):
    sign_in(client)
    client.get(reverse("accounts:two_factor_enrol"))
    codes = client.post(
        reverse("accounts:two_factor_enrol"), {"code": totp_code(TOTPDevice.objects.get(user=reviewer))}
    ).context["codes"]
    client.logout()
    sign_in(client)
    response = send_code(client, codes[0].upper())
    assert response.status_code == 302 and signed_in(client)
    assert StaticDevice.objects.get(user=reviewer).token_set.count() == 9
    assert AuditEvent.objects.filter(action="two_factor.backup_code_used", actor=reviewer).count() == 1
    client.logout()
    sign_in(client)
    assert send_code(client, codes[0]).status_code == 200
    assert not signed_in(client)
    assert send_code(client, codes[1]).status_code == 302


# --- sessions that skipped the code -------------------------------------------------------------------------


def test_unverified_staff_session_goes_back_to_the_code_step(client, enrolled):
    client.force_login(enrolled)
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]  # a session from before two factors, say
    session.save()
    old_key = session.session_key
    response = client.get("/plans/")
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor_verify")
    assert not signed_in(client)
    assert not Session.objects.filter(pk=old_key).exists()
    assert client.session[PENDING_KEY]["next"] == "/plans/"
    assert AuditEvent.objects.filter(action="two_factor.session_refused", actor=enrolled).count() == 1
    assert send_code(client, totp_code(totp_device(enrolled))).url == "/plans/"


def test_institution_user_who_becomes_staff_must_enrol(client, institution, chengdu):
    user = member(institution, Role.BASE_OPERATOR, username="operator")
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    from accounts.models import Membership

    Membership.objects.create(user=user, organization=chengdu, role=Role.AUTHORITY_REVIEWER)
    response = client.get(reverse("portal:dashboard"))
    assert response.url == reverse("accounts:two_factor_enrol")
    assert not signed_in(client)


def test_unverified_staff_session_on_the_api_is_401_otp_required(client, enrolled):
    client.force_login(enrolled)
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = client.get(reverse("api-me"))
    assert response.status_code == 401
    assert response.json()["otp_required"] is True


def test_session_naming_another_users_device_is_not_verified(client, enrolled, chengdu):
    other = member(chengdu, Role.AUTHORITY_APPROVER, username="approver")
    client.force_login(enrolled)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(other).persistent_id
    session.save()
    assert client.get(reverse("portal:dashboard")).url == reverse("accounts:two_factor_verify")


def test_django_admin_signs_in_through_the_portal(client, django_user_model):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=%2Fdjango-admin%2F"


def test_tests_force_login_verifies_through_a_real_device(client, reviewer):
    """The test shortcut (tests/conftest.py) is a confirmed device in the session, nothing production skips."""
    client.force_login(reviewer)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=True)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


# --- the API token --------------------------------------------------------------------------------------------


def ask_token(client, username="reviewer", password=TEST_PASSWORD, **extra):
    return client.post(
        reverse("api-token"),
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def test_token_for_staff_without_otp_is_401_otp_required(client, enrolled):
    response = ask_token(client)
    assert response.status_code == 401
    assert response.json()["otp_required"] is True and response.json()["detail"]
    assert not AuditEvent.objects.filter(action="auth.token_issued").exists()


def test_token_for_staff_without_an_authenticator_is_401_otp_required(client, reviewer):
    response = ask_token(client, otp="123456")
    assert response.status_code == 401 and response.json()["otp_required"] is True
    assert "启用双因素认证" in response.json()["detail"]


def test_token_for_staff_with_a_good_otp_is_200(client, enrolled):
    response = ask_token(client, otp=totp_code(totp_device(enrolled)))
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}


def test_token_wrong_otp_is_401_counted_and_five_lock_out(client, enrolled, no_throttle):
    device = totp_device(enrolled)
    first = ask_token(client, otp=wrong_code(device))
    assert first.status_code == 401 and first.json()["otp_required"] is True
    assert AccessAttempt.objects.get(username="reviewer").failures_since_start == 1
    for _ in range(3):
        ask_token(client, otp=wrong_code(device))
    assert ask_token(client, otp=wrong_code(device)).status_code == 429
    assert ask_token(client, otp=totp_code(device)).status_code == 429


def test_token_backup_code_works_once(client, enrolled, no_throttle):
    from accounts.two_factor import backup_codes_regenerate

    codes = backup_codes_regenerate(user=enrolled)
    assert ask_token(client, otp=codes[0]).status_code == 200
    assert ask_token(client, otp=codes[0]).status_code == 401
