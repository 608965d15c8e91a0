"""三权分立 (GB/T 22239-2019 8.1.4.2): the system, security and audit administrators are three accounts.

- system administrator: the provincial administrator (Role.PROVINCIAL_ADMIN): accounts, reference data
  (regions), batches, the import of existing bases, closing hours years. A Django superuser works in the
  Django admin on the same things, so it counts as holding the system duty.
- security administrator (Role.SECURITY_ADMIN): sign-in lockouts, two-factor resets, API keys.
- audit administrator (Role.AUDIT_ADMIN): reads the audit trail, nothing else.

No account holds two duties: `check_duties` refuses it in the services and the admin site, and the partial unique
index `membership_one_admin_duty` refuses a second duty membership in the database. Only the system administrator
grants a duty, and every grant is an audited account change that the audit administrator reads.
"""

from django.utils.translation import gettext as _

from kit.text import join_words

from .models import ADMIN_DUTY_ROLES, Membership, Role

DUTY_LABELS = {
    Role.PROVINCIAL_ADMIN: Role.PROVINCIAL_ADMIN.label,
    Role.SECURITY_ADMIN: Role.SECURITY_ADMIN.label,
    Role.AUDIT_ADMIN: Role.AUDIT_ADMIN.label,
}


def duties_in(roles) -> set[str]:
    return {str(r) for r in roles} & {r.value for r in ADMIN_DUTY_ROLES}


def duties_of(user) -> set[str]:
    """The duties a saved user holds through memberships now."""
    if user is None or user.pk is None:
        return set()
    return set(
        Membership.objects.filter(user_id=user.pk, role__in=ADMIN_DUTY_ROLES).values_list("role", flat=True)
    )


def grants_need_system_admin(roles) -> bool:
    return bool(duties_in(roles))


def duty_conflict(*, roles, is_superuser: bool = False) -> list[str]:
    """Return the error messages if an account with these roles (and superuser flag) holds two duties."""
    held = duties_in(roles)
    if is_superuser:
        held.add(Role.PROVINCIAL_ADMIN.value)
    if len(held) < 2:
        return []
    names = join_words(DUTY_LABELS[Role(d)] for d in sorted(held))
    return [
        _("系统管理员、安全管理员、审计管理员须由不同账户担任（三权分立），不能兼任：%(r)s。") % {"r": names}
    ]


def check_duties(*, roles, user=None) -> dict:
    """Return field errors ({"roles": [...]}) if `user` (None: a new account) would hold two duties after
    gaining `roles`, else {}."""
    held = duties_of(user) | set(roles)
    messages = duty_conflict(roles=held, is_superuser=bool(user is not None and user.is_superuser))
    return {"roles": messages} if messages else {}
