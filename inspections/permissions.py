from accounts.jurisdiction import actor_for
from accounts.models import Role


def may_inspect(user, base, authority) -> bool:
    """R-25: the approving authority inspects its bases; the provincial HR department may inspect any base."""
    if authority.kind == "provincial_hr":
        return True
    return base.approving_authority_id == authority.pk


def is_staff_of(user, organization_id, *roles) -> bool:
    roles = roles or (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    actor = actor_for(user)
    return any(actor.has_role(r, organization_id) for r in roles)


def is_base_staff(user, base) -> bool:
    actor = actor_for(user)
    return any(actor.has_role(r, base.institution_id) for r in (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN))
