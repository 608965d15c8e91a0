"""The header entries of accounts (kit.nav): accounts, registrations, regions, lockouts, two-factor resets."""

from django.utils.translation import gettext_lazy as _

from kit.nav import APPLY, SYSTEM

from .models import Organization, Role


def manages_users(actor) -> bool:
    return actor.is_provincial_admin or any(
        m.role in (Role.AUTHORITY_ADMIN, Role.INSTITUTION_ADMIN) for m in actor.memberships
    )


def confirms_registrations(actor) -> bool:
    return actor.is_provincial_admin or any(
        m.role in (Role.AUTHORITY_ADMIN, Role.AUTHORITY_REVIEWER)
        and m.organization.kind == Organization.Kind.MUNICIPAL_HR
        for m in actor.memberships
    )


APPLY_ENTRIES = [
    ("registrations", _("机构注册确认"), "accounts:registrations", 5, confirms_registrations),
]
# 三权分立: the security administrator's pages are theirs alone, as the system administrator's are.
SYSTEM_ENTRIES = [
    ("accounts", _("账户管理"), "accounts:organizations", 10, manages_users),
    ("regions", _("行政区划"), "accounts:regions", 20, lambda actor: actor.is_provincial_admin),
    ("lockouts", _("登录锁定"), "accounts:lockouts", 50, lambda actor: actor.is_security_admin),
    ("otp", _("双因素认证重置"), "accounts:otp", 60, lambda actor: actor.is_security_admin),
]
ENTRIES = {APPLY: APPLY_ENTRIES, SYSTEM: SYSTEM_ENTRIES}
