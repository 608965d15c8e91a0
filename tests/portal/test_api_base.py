"""API base: token auth, /me, the OpenAPI schema and offline docs."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import TEST_PASSWORD, member
from tests.two_factor import totp_code, totp_device

pytestmark = pytest.mark.django_db


def test_token_is_issued_and_authenticates_me(client, chengdu):
    user = member(chengdu, Role.AUTHORITY_REVIEWER, username="api_user")
    otp = totp_code(totp_device(user))
    response = client.post(
        reverse("api-token"),
        {"username": "api_user", "password": TEST_PASSWORD, "otp": otp},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "api_user"
    assert body["memberships"] == [
        {
            "organization_id": chengdu.pk,
            "organization": chengdu.name,
            "organization_kind": "municipal_hr",
            "role": "authority_reviewer",
            "role_display": "审核员",
        }
    ]
    assert body["is_provincial"] is False
    assert AuditEvent.objects.filter(action="auth.token_issued", actor=user).exists()


def test_token_with_wrong_password_is_400_with_message(client, chengdu):
    member(chengdu, Role.AUTHORITY_REVIEWER, username="api_user")
    response = client.post(
        reverse("api-token"), {"username": "api_user", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "不正确" in response.json()["detail"]


def test_token_request_with_missing_fields_gives_a_message_and_field_errors(client):
    response = client.post(reverse("api-token"), {}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "username", "password"}


def test_me_requires_authentication(client):
    assert client.get(reverse("api-me")).status_code in (401, 403)


def test_deactivated_users_token_stops_working(client, chengdu, cd_admin):
    user = member(chengdu, Role.AUTHORITY_REVIEWER, username="api_user")
    token = client.post(
        reverse("api-token"),
        {"username": "api_user", "password": TEST_PASSWORD, "otp": totp_code(totp_device(user))},
        content_type="application/json",
    ).json()["token"]
    from accounts.services import user_set_active

    user_set_active(actor=cd_admin, organization=chengdu, user=user, active=False)
    assert client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_schema_and_docs_are_served_offline(client):
    schema = client.get(reverse("api-schema"), {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/me/" in schema.json()["paths"]
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
    assert "/static/drf_spectacular_sidecar/" in docs
