"""Audit of authentication events.

These receivers hook Django's and axes' authentication signals only to write the audit trail; no business
rule lives here.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .context import client_ip_from_request
from .services import audit_record


def _ip(request):
    return getattr(request, "axes_ip_address", None) or (client_ip_from_request(request) if request else None)


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, ip_address=_ip(request))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user, ip_address=_ip(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    if (
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    ):
        return  # refused before the password was checked: recorded by audit_lockout below
    user = get_user_model().objects.filter(username=username).first()
    audit_record(
        actor=None,
        actor_name=username,
        action="auth.login_failed",
        object_type="accounts.user" if user else "",
        object_id=str(user.pk) if user else "",
        ip_address=_ip(request) if request is not None else None,
    )


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # axes counts the failure (and sets axes_failures_since_start) only when this attempt caused the lockout.
    newly_locked = getattr(request, "axes_failures_since_start", None) is not None
    audit_record(
        actor=None,
        actor_name=(username or "")[:150],
        action="auth.locked_out" if newly_locked else "auth.login_refused_locked",
        ip_address=ip_address,
    )
