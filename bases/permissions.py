"""Who may do what with a base, its change requests and its misconduct reports."""

from accounts.jurisdiction import actor_for
from accounts.models import Role


def can_request_change(user, base) -> bool:
    actor = actor_for(user)
    return any(actor.has_role(r, base.institution_id) for r in (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR))


def is_base_reviewer(user, base) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_REVIEWER, base.approving_authority_id)


def is_base_approver(user, base) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_APPROVER, base.approving_authority_id)


def can_triage_report(user, report) -> bool:
    base = report.base
    return is_base_reviewer(user, base) or is_base_approver(user, base)


def can_import_bases(user) -> bool:
    return actor_for(user).is_provincial_admin
