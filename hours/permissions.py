from accounts.jurisdiction import actor_for
from accounts.models import Role
from bases.permissions import is_base_staff as is_base_staff  # one definition, re-exported


def may_read_full_id(user) -> bool:
    """Full ID numbers are for authority reviewers and the provincial administrator; each read is audited."""
    actor = actor_for(user)
    return actor.is_provincial_admin or bool(actor.orgs_with(Role.AUTHORITY_REVIEWER))


def may_look_up_hours(user) -> bool:
    """Authority staff and the province look people's hours up. What they see is not limited to their own bases:
    filed hours are valid across the province (R-32), so a person's year is the same for every authority."""
    return actor_for(user).is_authority_staff
