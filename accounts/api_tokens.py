"""API tokens (django-rest-knox): issued after both factors, stored only as a SHA-512 digest, expiring, and
revoked on sign-out, password change and deactivation."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from knox.models import AuthToken

from kit.trail import record as audit_record

from .models import User
from .two_factor import is_staff_user


def api_token_lifetime(user: User) -> timedelta:
    hours = settings.API_TOKEN_STAFF_HOURS if is_staff_user(user) else settings.API_TOKEN_HOURS
    return timedelta(hours=hours)


def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """Issue a new token; return the stored row and the token itself, which is shown once and kept nowhere."""
    with transaction.atomic():
        instance, token = AuthToken.objects.create(user=user, expiry=api_token_lifetime(user))
        audit_record(
            actor=user, action="auth.token_issued", obj=user, comment=f"expiry={instance.expiry.isoformat()}"
        )
    return instance, token


def api_token_revoke(*, token: AuthToken) -> None:
    """Sign a token out (the API's sign-out)."""
    with transaction.atomic():
        user = token.user
        AuthToken.objects.filter(pk=token.pk).delete()
        audit_record(actor=user, action="auth.token_revoked", obj=user, comment="reason=sign_out")


def api_tokens_revoke_all(*, user: User, reason: str, actor: User | None = None) -> int:
    """Revoke every token of a user; return how many there were. Record it when there were any."""
    with transaction.atomic():
        count, _per_model = AuthToken.objects.filter(user=user).delete()
        if count:
            audit_record(
                actor=actor or user,
                action="auth.tokens_revoked",
                obj=user,
                comment=f"reason={reason} count={count}",
            )
    return count
