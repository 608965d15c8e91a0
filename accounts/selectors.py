"""Reads of accounts and organizations for a user."""

from django.db.models import Prefetch

from .jurisdiction import actor_for
from .models import Membership, Organization, User
from .permissions import can_manage_users_of


def manageable_organizations(user):
    """Return the organizations whose accounts `user` may manage."""
    actor = actor_for(user)
    if actor.user_id is None:
        return Organization.objects.none()
    if actor.is_provincial_admin:
        return Organization.objects.exclude(kind=Organization.Kind.INSTITUTION).select_related("region")
    own = [m.organization_id for m in actor.memberships if m.role in ("authority_admin", "institution_admin")]
    return Organization.objects.filter(pk__in=own).select_related("region")


def organization_for_user_management(*, user, pk):
    """Return the organization if `user` may manage its accounts, else None (the view answers 404)."""
    org = Organization.objects.filter(pk=pk).select_related("region").first()
    if org is None or not can_manage_users_of(user, org):
        return None
    return org


def organization_members(organization):
    """Return the users of an organization with their roles there, one query for the roles."""
    return (
        User.objects.filter(memberships__organization=organization)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organization=organization),
                to_attr="roles_here",
            )
        )
        .order_by("username")
    )


def users_with(organization_id, *roles):
    """Active users holding any of `roles` in the organization: whom a notification goes to."""
    if not organization_id:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(organization_id=organization_id, role__in=roles).values("user_id"),
    )
