"""Small pure predicates about accounts, used by views to show buttons and by services to enforce."""

from .jurisdiction import actor_for
from .models import Role


def can_manage_users_of(user, organization) -> bool:
    """An authority admin manages the accounts of their own organization; institution admins theirs;
    the provincial administrator manages any authority's and the expert pool's accounts."""
    actor = actor_for(user)
    if actor.has_role(Role.AUTHORITY_ADMIN, organization.pk) or actor.has_role(
        Role.INSTITUTION_ADMIN, organization.pk
    ):
        return True
    return actor.is_provincial_admin and not organization.is_institution


def can_edit_regions(user) -> bool:
    return actor_for(user).is_provincial_admin
