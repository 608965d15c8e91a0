from accounts.jurisdiction import actor_for
from accounts.models import Role
from bases.permissions import is_base_staff as is_base_staff  # one definition, re-exported


def may_inspect(user, base, authority) -> bool:
    """R-25: the approving authority inspects its bases; the provincial HR department may inspect any base."""
    if authority.kind == "provincial_hr":
        return True
    return base.approving_authority_id == authority.pk


def is_staff_of(user, organization_id, *roles) -> bool:
    roles = roles or (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    actor = actor_for(user)
    return any(actor.has_role(r, organization_id) for r in roles)


def is_approver_for(user, base) -> bool:
    """An approver of the base's approving authority or of the provincial HR department (R-27)."""
    actor = actor_for(user)
    if actor.has_role(Role.AUTHORITY_APPROVER, base.approving_authority_id):
        return True
    return any(
        m.organization.kind == "provincial_hr" and m.role == Role.AUTHORITY_APPROVER
        for m in actor.memberships
    )


def reads_inspection_record(user, insp) -> bool:
    """The inspecting authority, the base's approving authority and the province read an inspection's internal
    record (what the platform knows, the self-assessment, the inspectors, the history); the base does not."""
    return (
        is_staff_of(user, insp.round.authority_id)
        or actor_for(user).is_provincial
        or is_staff_of(user, insp.base.approving_authority_id)
    )
