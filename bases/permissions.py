"""Who may do what with a base, its change requests and its misconduct reports."""

from accounts.jurisdiction import actor_for
from accounts.models import Role


def is_base_staff(user, base) -> bool:
    """The base's own people: its institution's administrators and base operators."""
    actor = actor_for(user)
    return any(actor.has_role(r, base.institution_id) for r in (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR))


# a change request is asked for by the base's own people.
can_request_change = is_base_staff


def is_base_reviewer(user, base) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_REVIEWER, base.approving_authority_id)


def is_base_approver(user, base) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_APPROVER, base.approving_authority_id)


def can_triage_report(user, report) -> bool:
    base = report.base
    return is_base_reviewer(user, base) or is_base_approver(user, base)


def can_import_bases(user) -> bool:
    return actor_for(user).is_provincial_admin


def is_supervising_staff(user, base) -> bool:
    """R-25..R-28: the approving authority's reviewers and approvers, and the provincial HR department's, who
    inspect, assess, order rectification and revoke."""
    actor = actor_for(user)
    roles = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    if any(actor.has_role(r, base.approving_authority_id) for r in roles):
        return True
    return any(m.organization.kind == "provincial_hr" and m.role in roles for m in actor.memberships)
