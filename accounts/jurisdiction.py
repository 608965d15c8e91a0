"""The jurisdiction rule (R-03), in one place.

An authority acts on the objects for which it is the approving authority; the provincial HR department acts on
all of them. An institution acts on its own objects only. Every app builds its `visible_to(user)` selector with
`scope_q()` so that the rule is written once.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from .models import AUTHORITY_ROLES, INSTITUTION_ROLES, Membership, Organization, Role


@dataclass(frozen=True)
class Actor:
    """What a user may act for, computed once per request from their memberships."""

    user_id: int | None
    memberships: tuple = field(default=())

    @cached_property
    def roles(self) -> frozenset:
        return frozenset(m.role for m in self.memberships)

    def orgs_with(self, *roles) -> frozenset:
        return frozenset(m.organization_id for m in self.memberships if m.role in roles)

    @property
    def authority_ids(self) -> frozenset:
        """The authorities this user acts for, whatever their authority role."""
        return self.orgs_with(*AUTHORITY_ROLES, Role.PROVINCIAL_ADMIN)

    @property
    def institution_ids(self) -> frozenset:
        return self.orgs_with(*INSTITUTION_ROLES)

    @cached_property
    def is_provincial(self) -> bool:
        """True for staff of the provincial HR department and the provincial administrator: they see everything."""
        return any(
            m.organization.kind == Organization.Kind.PROVINCIAL_HR
            and m.role in (*AUTHORITY_ROLES, Role.PROVINCIAL_ADMIN)
            for m in self.memberships
        )

    @property
    def is_provincial_admin(self) -> bool:
        """The system administrator of 三权分立: accounts, reference data, batches, imports, years."""
        return Role.PROVINCIAL_ADMIN in self.roles

    @property
    def is_security_admin(self) -> bool:
        """Lockouts, two-factor resets, API keys; sees no business data (not `is_provincial`)."""
        return Role.SECURITY_ADMIN in self.roles

    @property
    def is_audit_admin(self) -> bool:
        """Reads the audit trail, nothing else."""
        return Role.AUDIT_ADMIN in self.roles

    @property
    def is_authority_staff(self) -> bool:
        return bool(self.authority_ids)

    @property
    def is_institution_staff(self) -> bool:
        return bool(self.institution_ids)

    @property
    def is_expert(self) -> bool:
        return Role.EXPERT in self.roles

    def has_role(self, role, organization_id=None) -> bool:
        return any(
            m.role == role and (organization_id is None or m.organization_id == organization_id)
            for m in self.memberships
        )

    def can_act_for_authority(self, authority_id, *roles) -> bool:
        """True if the user holds one of `roles` in that authority, or in the provincial HR department."""
        roles = roles or (*AUTHORITY_ROLES, Role.PROVINCIAL_ADMIN)
        return any(
            m.role in roles
            and (m.organization_id == authority_id or m.organization.kind == Organization.Kind.PROVINCIAL_HR)
            for m in self.memberships
        )


ANONYMOUS = Actor(user_id=None)


def actor_for(user) -> Actor:
    """Return the Actor of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_actor_cache", None)
    if cached is None:
        memberships = tuple(
            Membership.objects.filter(user=user, organization__is_active=True).select_related("organization")
        )
        cached = Actor(user_id=user.pk, memberships=memberships)
        user._actor_cache = cached
    return cached


def scope_q(user, *, authority_field: str | None = None, institution_field: str | None = None) -> Q | None:
    """Return the Q that limits a queryset to what `user` may see, or None for "nothing".

    `authority_field` is the lookup of the approving authority, `institution_field` that of the owning
    institution. The provincial HR department sees everything that has an authority field.
    """
    actor = actor_for(user)
    if actor.user_id is None:
        return None
    if authority_field and actor.is_provincial:
        return Q()
    q = Q(pk__in=[])
    if authority_field and actor.authority_ids:
        q |= Q(**{f"{authority_field}__in": actor.authority_ids})
    if institution_field and actor.institution_ids:
        q |= Q(**{f"{institution_field}__in": actor.institution_ids})
    return q


def restrict(queryset, user, **fields):
    """Apply scope_q to a queryset: the building block of every `visible_to(user)`."""
    q = scope_q(user, **fields)
    if q is None:
        return queryset.none()
    return queryset.filter(q)
