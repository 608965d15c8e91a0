"""Sign-in, lockout (django-axes), password change, session expiry, and their audit events."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(institution):
    return member(institution, Role.BASE_OPERATOR, username="operator")


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_lands_on_dashboard_and_is_audited(client, user):
    response = login(client, "operator", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_failed_sign_in_shows_message_and_is_audited(client, user):
    response = login(client, "operator", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_name == "operator"
    assert event.object_id == str(user.pk)
    assert event.ip_address == "127.0.0.1"


def test_sixth_attempt_is_locked_out_even_with_correct_password(client, user):
    for _ in range(5):
        login(client, "operator", "wrong-password")
    response = login(client, "operator", TEST_PASSWORD)
    assert response.status_code == 429
    assert "已被锁定 30 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    assert AuditEvent.objects.filter(action="auth.locked_out").count() == 1
    assert AuditEvent.objects.filter(action="auth.login_refused_locked").count() == 1
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_four_failures_do_not_lock(client, user):
    for _ in range(4):
        login(client, "operator", "wrong-password")
    response = login(client, "operator", TEST_PASSWORD)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="auth.locked_out").exists()


def test_lockout_lasts_thirty_minutes_per_username_and_ip():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_applies_to_api_token(client, user):
    url = reverse("api-token")
    for _ in range(5):
        client.post(url, {"username": "operator", "password": "nope"}, content_type="application/json")
    response = client.post(
        url, {"username": "operator", "password": TEST_PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_idle_session_expires_after_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_server_side_expiry_forward(client, user):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("portal:dashboard"))
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_session_past_its_idle_expiry_is_signed_out(client, user):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(user)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_change_validates_and_is_audited(client, user):
    client.force_login(user)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200
    new = "Another-Str0ng-pass"
    response = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert AuditEvent.objects.filter(action="account.password_changed", actor=user).count() == 1


def test_sign_out_requires_post_and_is_audited(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.logout", actor=user).count() == 1


def test_inactive_user_cannot_sign_in(client, user):
    user.is_active = False
    user.save()
    response = login(client, "operator", TEST_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
