"""Two factors at sign-in (等保 2.0 level 3, GB/T 22239-2019 §8.1.4.1): who must use them, enrolment of a TOTP
authenticator, checking a code, single-use backup codes, and the HR departments' rule for the institutions
they oversee. A lost authenticator is reset by the security administrator (accounts/security.py, otp_reset).

Every staff role (authority reviewer, approver and admin, expert, provincial administrator, and Django's
superusers and staff) signs in with a password and a code. Institution users may enrol; once enrolled they
must use it, and so must every user of an institution whose HR department requires it.

Backup codes live in django-otp's static device, but as keyed digests, not as the codes themselves: a copy of
the database does not sign anyone in. Each one is deleted when used (django-otp's StaticDevice does that).
"""

import hashlib
import hmac
import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kit.errors import InvalidInput, PermissionRefused
from kit.trail import record as audit_record

from .jurisdiction import actor_for
from .models import (
    ADMIN_DUTY_ROLES,
    AUTHORITY_ROLES,
    Organization,
    Region,
    Role,
    TwoFactorPolicy,
    User,
)

# Authority staff, experts and the three administrators of 三权分立 (system, security, audit).
STAFF_ROLES = frozenset({*AUTHORITY_ROLES, *ADMIN_DUTY_ROLES, Role.EXPERT})
# The HR departments oversee the institutions of their region; industry authorities oversee fields, not
# places, so the regional rule is theirs to ask of the provincial department.
POLICY_KINDS = (
    Organization.Kind.PROVINCIAL_HR,
    Organization.Kind.MUNICIPAL_HR,
    Organization.Kind.COUNTY_HR,
)
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
# No 0/o, 1/l/i: backup codes are read off paper.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# --- who must use two factors -----------------------------------------------------------------------------


def is_staff_user(user) -> bool:
    """Return True for a user holding any staff role (or Django's superuser/staff flag)."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(actor_for(user).roles & STAFF_ROLES)


def has_totp_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_by_authority(user) -> bool:
    """Return True if an HR department overseeing one of the user's institutions requires two factors.

    One query: the departments of the institutions' regions, of their parents and of their grandparents
    (county → prefecture → province).
    """
    actor = actor_for(user)
    region_ids = {
        m.organization.region_id for m in actor.memberships if m.organization_id in actor.institution_ids
    }
    if not region_ids:
        return False
    overseeing = Region.objects.filter(
        Q(pk__in=region_ids) | Q(children__pk__in=region_ids) | Q(children__children__pk__in=region_ids)
    ).values("pk")
    return TwoFactorPolicy.objects.filter(
        require_institutions=True,
        authority__is_active=True,
        authority__kind__in=POLICY_KINDS,
        authority__region__in=overseeing,
    ).exists()


def must_keep_two_factor(user) -> bool:
    """Return True if the user may not go back to signing in with a password alone."""
    return is_staff_user(user) or required_by_authority(user)


def two_factor_required(user) -> bool:
    """Return True if signing in as `user` takes a second factor: staff, required, or enrolled by choice."""
    return must_keep_two_factor(user) or has_totp_device(user)


def two_factor_status(user) -> dict:
    """Return what the account settings page shows about the user's second factor."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    backup = StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME).first()
    return {
        "enrolled": device is not None,
        "enrolled_at": device.created_at if device else None,
        "last_used_at": device.last_used_at if device else None,
        "backup_codes_left": backup.token_set.count() if backup else 0,
        "is_staff": is_staff_user(user),
        "required_by_authority": required_by_authority(user),
    }


# --- enrolment ----------------------------------------------------------------------------------------------


def totp_secret_base32(device: TOTPDevice) -> str:
    """Return the device's secret as authenticator apps take it by hand (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed authenticator, creating one with a new secret if there is none.

    Reusing it means a reload of the enrolment page keeps the QR code the user may already have scanned.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME)
            .order_by("pk")
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the user's new authenticator with a code it shows; return it and a fresh set of backup codes.

    Raise InvalidInput if the code is wrong (the caller counts it towards the lockout).
    """
    code = normalize_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME)
            .order_by("pk")
            .first()
        )
        # Not raising in here: the throttle counter django-otp saves on a wrong code must be committed.
        accepted = device is not None and _looks_like_totp(code) and device.verify_token(code)
        if accepted:
            # One authenticator per user: an enrolment replaces what was there.
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _backup_codes_replace(user)
            audit_record(actor=user, action="two_factor.enrolled", obj=user)
    if device is None:
        raise InvalidInput(_("请重新打开启用页面，扫描新的二维码。"))
    if not accepted:
        raise InvalidInput(
            _("动态口令不正确，请核对手机时间后重试。"),
            field_errors={"code": [_("动态口令不正确，请核对手机时间后重试。")]},
        )
    return device, codes


# --- codes ------------------------------------------------------------------------------------------------


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").strip().lower() if ch.isalnum())[:32]


def _looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def backup_code_digest(code: str) -> str:
    """Return what is stored for a backup code: a keyed digest short enough for django-otp's token column."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"two-factor-backup:" + code.encode(), hashlib.sha256).hexdigest()[:16]


def _new_backup_code() -> str:
    return "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(8))


def _backup_codes_replace(user: User) -> list[str]:
    """Replace the user's backup codes (inside the caller's transaction); return the new ones, once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [_new_backup_code() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=backup_code_digest(c)) for c in codes)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def backup_codes_regenerate(*, user: User) -> list[str]:
    """Give an enrolled user a new set of backup codes; the old ones stop working."""
    if not has_totp_device(user):
        raise InvalidInput(_("请先启用双因素认证。"))
    with transaction.atomic():
        codes = _backup_codes_replace(user)
        audit_record(actor=user, action="two_factor.backup_codes_issued", obj=user)
    return codes


def otp_verify(*, user: User, code: str):
    """Return the device that accepts `code` (a 6-digit TOTP code or a backup code), or None.

    A TOTP code is good once (django-otp keeps the last time step used); a backup code is deleted when used.
    django-otp's own throttle (a delay doubling after each wrong code, per device and whatever the IP) stays
    on beside the per-IP lockout: a code sent while throttled is refused like a wrong one.
    """
    code = normalize_code(code)
    if not code:
        return None
    with transaction.atomic():
        if _looks_like_totp(code):
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            token = code
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            token = backup_code_digest(code)
        for device in devices:
            if device.verify_token(token):
                if isinstance(device, StaticDevice):
                    audit_record(actor=user, action="two_factor.backup_code_used", obj=user)
                return device
    return None


# --- turning it off ---------------------------------------------------------------------------------------


def _devices_delete(user: User) -> int:
    totp, _per_model = TOTPDevice.objects.filter(user=user).delete()
    static, _per_model = StaticDevice.objects.filter(user=user).delete()
    return totp + static


def two_factor_disable(*, user: User) -> None:
    """Let a user who chose two factors go back to a password alone; staff and required users may not."""
    if must_keep_two_factor(user):
        raise PermissionRefused(_("您的账户必须使用双因素认证，不能停用。"))
    with transaction.atomic():
        if _devices_delete(user):
            audit_record(actor=user, action="two_factor.disabled", obj=user)


# --- the HR departments' rule -------------------------------------------------------------------------------


def can_set_two_factor_policy(user, authority) -> bool:
    """The authority admin of an HR department sets its rule for the institutions it oversees."""
    return authority.kind in POLICY_KINDS and actor_for(user).has_role(Role.AUTHORITY_ADMIN, authority.pk)


def two_factor_policy_of(authority) -> bool:
    return TwoFactorPolicy.objects.filter(authority=authority, require_institutions=True).exists()


def two_factor_policy_set(*, actor: User, authority: Organization, require_institutions: bool) -> bool:
    """Require (or stop requiring) two factors of every institution user the authority oversees."""
    if not can_set_two_factor_policy(actor, authority):
        raise PermissionRefused(_("只有人社部门的部门管理员可以设置辖区施教机构的双因素认证要求。"))
    with transaction.atomic():
        policy, _created = TwoFactorPolicy.objects.select_for_update().get_or_create(authority=authority)
        if policy.require_institutions == require_institutions:
            return require_institutions
        policy.require_institutions = require_institutions
        policy.save(update_fields=["require_institutions", "updated_at"])
        audit_record(
            actor=actor,
            action="two_factor.policy_changed",
            obj=authority,
            organization=authority,
            from_state="optional" if require_institutions else "required",
            to_state="required" if require_institutions else "optional",
        )
    return require_institutions
