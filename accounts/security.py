"""The security administrator's work on accounts: sign-in lockouts (django-axes) and two-factor resets.

API keys are the hours app's (hours.services.api_key_revoke lets the security administrator revoke any key).
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.errors import NotVisible, PermissionRefused, WrongState
from kit.trail import record as audit_record

from .jurisdiction import actor_for
from .models import User


def can_manage_security(user) -> bool:
    return actor_for(user).is_security_admin


def _require_security_admin(actor) -> None:
    if not can_manage_security(actor):
        raise PermissionRefused(_("只有安全管理员可以进行该操作。"))


def lockout_list():
    """Return the (username, IP) pairs locked out now, newest first."""
    cool_off = get_cool_off()
    qs = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if cool_off is not None:
        qs = qs.filter(attempt_time__gte=timezone.now() - cool_off)
    return qs.order_by("-attempt_time", "-id")


def lockout_release(*, actor, attempt_id: int) -> int:
    """Unlock one locked (username, IP) pair before its 30 minutes are over; return the attempts removed."""
    _require_security_admin(actor)
    with transaction.atomic():
        attempt = lockout_list().select_for_update().filter(pk=attempt_id).first()
        if attempt is None:
            raise NotVisible(_("未找到该锁定记录，可能已自动解除。"))
        removed = axes_reset(ip=attempt.ip_address, username=attempt.username)
        target = User.objects.filter(username=attempt.username).first()
        audit_record(
            actor=actor,
            action="security.lockout_released",
            obj=target,
            object_type="accounts.user" if target else "",
            comment=f"username={attempt.username} ip={attempt.ip_address}",
        )
    return removed


def otp_installed() -> bool:
    return apps.is_installed("django_otp")


def otp_devices(user) -> list:
    """The user's two-factor devices (confirmed or not); empty when django-otp is not installed."""
    if not otp_installed():
        return []
    from django_otp import devices_for_user

    return list(devices_for_user(user, confirmed=None))


def otp_reset(*, actor, user: User) -> int:
    """Remove every two-factor device of `user` (lost phone): they enrol again at their next sign-in. Return how
    many devices were removed. Nobody resets their own second factor."""
    _require_security_admin(actor)
    if not otp_installed():
        raise WrongState(_("本平台未启用双因素认证。"))
    if user.pk == actor.pk:
        raise PermissionRefused(_("不能重置自己的双因素认证，请联系另一名安全管理员。"))
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk).first()
        if locked is None:
            raise NotVisible(_("未找到该账户。"))
        devices = otp_devices(locked)
        if not devices:
            raise WrongState(_("该账户尚未绑定双因素认证设备。"))
        for device in devices:
            device.delete()
        audit_record(
            actor=actor,
            action="security.otp_reset",
            obj=locked,
            comment=", ".join(sorted({type(d).__name__ for d in devices})),
        )
    return len(devices)


def otp_user_search(*, actor, q: str):
    """Accounts matching a username or name, for the two-factor reset page (the security administrator only)."""
    if not can_manage_security(actor) or not q.strip():
        return User.objects.none()
    q = q.strip()
    return (
        User.objects.filter(username__icontains=q) | User.objects.filter(full_name__icontains=q)
    ).order_by("username")[:20]
