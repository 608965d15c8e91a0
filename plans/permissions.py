from accounts.jurisdiction import actor_for
from accounts.models import Role


def is_base_staff(user, base) -> bool:
    actor = actor_for(user)
    return any(actor.has_role(r, base.institution_id) for r in (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN))


def is_host_reviewer(user, base) -> bool:
    return actor_for(user).has_role(Role.HOST_REVIEWER, base.institution_id)


def is_plan_authority(user, base) -> bool:
    actor = actor_for(user)
    return any(
        actor.has_role(r, base.approving_authority_id)
        for r in (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    )
