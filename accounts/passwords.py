"""Password history, expiry and the forced change (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1).

- No reuse of the last `history` passwords: `PasswordHistoryValidator`, one of AUTH_PASSWORD_VALIDATORS. Django
  calls every configured validator's `password_changed()` after a new password is saved (AbstractBaseUser.save),
  which is where the history row is written: every password set, by whatever path, is recorded.
- Staff passwords expire after PASSWORD_EXPIRY_DAYS (0: never).
- A password an administrator set (a new account, a reset) must be changed at the next sign-in.
  `accounts.middleware.ForcePasswordChange` sends such a user to the password-change page first.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ADMIN_DUTY_ROLES, AUTHORITY_ROLES, Membership, PasswordHistory, User

STAFF_ROLES = (*AUTHORITY_ROLES, *ADMIN_DUTY_ROLES)

REASON_INITIAL = "initial"
REASON_EXPIRED = "expired"


class PasswordHistoryValidator:
    """Refuse any of the user's last `history` passwords (the current one included)."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return  # a new account has no history
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-id")
            .values_list("password", flat=True)[: self.history]
        )
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current:
            hashes.insert(0, current)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.has_usable_password():
            return
        now = timezone.now()
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        # Only the last `history` hashes are needed; older ones are hashes of nothing we check.
        keep = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[: self.history]
        )
        PasswordHistory.objects.filter(user_id=user.pk).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self):
        return _("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.history}


def expiry_days() -> int:
    return int(getattr(settings, "PASSWORD_EXPIRY_DAYS", 90) or 0)


def is_staff_account(user) -> bool:
    """Staff for the expiry rule: authority staff, the three administrators and Django-admin users."""
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(
        user_id=user.pk, role__in=STAFF_ROLES, organization__is_active=True
    ).exists()


def is_expired(user, *, now=None) -> bool:
    days = expiry_days()
    if days <= 0 or user.password_changed_at is None or not user.has_usable_password():
        return False
    now = now or timezone.now()
    # The cheap date test first: the membership query runs only for an old password.
    return user.password_changed_at <= now - timedelta(days=days) and is_staff_account(user)


def password_change_reason(user) -> str | None:
    """Return why the user must change their password before anything else, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.must_change_password:
        return REASON_INITIAL
    if is_expired(user):
        return REASON_EXPIRED
    return None


def reason_message(reason: str | None) -> str:
    if reason == REASON_INITIAL:
        return _("您的密码由管理员设置，请先修改密码后再使用本平台。")
    if reason == REASON_EXPIRED:
        return _("您的密码已使用超过 %(n)d 天，请修改密码后继续。") % {"n": expiry_days()}
    return ""


def require_password_change(user) -> None:
    """Mark that the next sign-in must change the password (an administrator set it). Inside the caller's
    transaction; the password-change service clears the mark."""
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
