from accounts.jurisdiction import actor_for
from accounts.models import Role


def is_base_staff(user, base) -> bool:
    actor = actor_for(user)
    return any(actor.has_role(r, base.institution_id) for r in (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN))


def may_read_full_id(user) -> bool:
    """Full ID numbers are for authority reviewers and the provincial administrator; each read is audited."""
    actor = actor_for(user)
    return actor.is_provincial_admin or bool(actor.orgs_with(Role.AUTHORITY_REVIEWER))
