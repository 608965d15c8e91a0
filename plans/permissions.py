from accounts.jurisdiction import actor_for
from accounts.models import Role
from bases.permissions import is_base_staff as is_base_staff  # one definition, re-exported


def is_host_reviewer(user, base) -> bool:
    return actor_for(user).has_role(Role.HOST_REVIEWER, base.institution_id)


def is_plan_authority(user, base) -> bool:
    actor = actor_for(user)
    return any(
        actor.has_role(r, base.approving_authority_id)
        for r in (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    )
