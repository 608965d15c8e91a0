"""API tokens are stored hashed, expire, and are revoked on sign-out, password change and deactivation
(等保 2.0 level 3; DESIGN.md "Personal data and security": hashed, expiring API tokens)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.api_tokens import api_token_issue
from accounts.models import Role
from accounts.services import user_set_active
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, member
from tests.two_factor import totp_code, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(chengdu):
    user = member(chengdu, Role.AUTHORITY_REVIEWER, username="reviewer")
    totp_device(user)
    return user


@pytest.fixture
def operator(institution):
    return member(institution, Role.BASE_OPERATOR, username="operator")


def obtain(client, user):
    body = {"username": user.username, "password": TEST_PASSWORD}
    if user.username == "reviewer":
        body["otp"] = totp_code(totp_device(user))
    response = client.post(reverse("api-token"), body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(client, token):
    return client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")


def test_institution_user_gets_a_token_with_a_password_alone(client, operator):
    assert me(client, obtain(client, operator)).status_code == 200


def test_token_is_stored_only_as_a_digest(client, reviewer):
    token = obtain(client, reviewer)
    row = AuthToken.objects.get(user=reviewer)
    assert row.digest != token and len(row.digest) == 128
    assert row.token_key == token[:15]  # knox's look-up prefix, not enough to authenticate
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")  # noqa: S608
        assert not any(token in str(value) for record in cursor.fetchall() for value in record)


def test_plaintext_token_table_is_gone():
    assert "authtoken_token" not in connection.introspection.table_names()


def test_staff_token_expires_after_twelve_hours_by_default(client, reviewer, settings):
    assert settings.API_TOKEN_STAFF_HOURS == 12
    before = timezone.now()
    obtain(client, reviewer)
    expiry = AuthToken.objects.get(user=reviewer).expiry
    assert before + timedelta(hours=12) <= expiry <= timezone.now() + timedelta(hours=12)


def test_token_lifetimes_follow_the_settings(settings, reviewer, operator):
    settings.API_TOKEN_STAFF_HOURS = 2
    settings.API_TOKEN_HOURS = 48
    staff, _token = api_token_issue(user=reviewer)
    other, _token = api_token_issue(user=operator)
    assert staff.expiry - staff.created < timedelta(hours=2, minutes=1)
    assert other.expiry - other.created > timedelta(hours=47)


def test_expired_token_is_refused_and_deleted(client, reviewer):
    token = obtain(client, reviewer)
    AuthToken.objects.filter(user=reviewer).update(expiry=timezone.now() - timedelta(seconds=1))
    assert me(client, token).status_code == 401
    assert not AuthToken.objects.filter(user=reviewer).exists()


def test_token_issue_is_audited_with_its_expiry(client, reviewer):
    obtain(client, reviewer)
    event = AuditEvent.objects.get(action="auth.token_issued", actor=reviewer)
    assert event.comment.startswith("expiry=")


def test_sign_out_revokes_only_the_token_sent(client, reviewer):
    first, second = obtain(client, reviewer), obtain(client, reviewer)
    response = client.post(
        reverse("api-logout"), {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {first}"
    )
    assert response.status_code == 204
    assert me(client, first).status_code == 401
    assert me(client, second).status_code == 200
    assert AuditEvent.objects.filter(action="auth.token_revoked", actor=reviewer).count() == 1


def test_sign_out_all_revokes_every_token(client, reviewer):
    first, second = obtain(client, reviewer), obtain(client, reviewer)
    client.post(
        reverse("api-logout"),
        {"all": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {first}",
    )
    assert me(client, first).status_code == 401 and me(client, second).status_code == 401
    assert AuditEvent.objects.get(action="auth.tokens_revoked").comment == "reason=sign_out count=2"


def test_sign_out_needs_a_token(client):
    assert client.post(reverse("api-logout"), {}, content_type="application/json").status_code == 401


def test_password_change_revokes_tokens(client, operator):
    token = obtain(client, operator)
    client.force_login(operator)
    new = "Another-Str0ng-pass"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert me(client, token).status_code == 401
    assert not AuthToken.objects.filter(user=operator).exists()
    event = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert event.comment == "reason=password_changed count=1"


def test_deactivation_revokes_tokens(client, reviewer, chengdu, cd_admin):
    token = obtain(client, reviewer)
    user_set_active(actor=cd_admin, organization=chengdu, user=reviewer, active=False)
    assert not AuthToken.objects.filter(user=reviewer).exists()
    reviewer.is_active = True  # even reactivated, the old token is gone
    reviewer.save(update_fields=["is_active"])
    assert me(client, token).status_code == 401
    event = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert event.actor == cd_admin and event.comment == "reason=deactivated count=1"
