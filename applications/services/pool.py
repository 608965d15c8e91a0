"""The expert pool (专家库): an expert's profile, edited by the expert or by an admin of an authority whose pool
the expert belongs to."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from accounts.models import Membership, Organization, Region, Role
from audit.services import audit_record
from kit.errors import InvalidInput, PermissionRefused

from ..models import ExpertProfile
from .drafts import normalize_fields

PROFILE_FIELDS = ("fields", "title", "employer_name", "region", "available", "unavailable_note")


def pools_of(expert) -> list[Organization]:
    return list(
        Organization.objects.filter(
            kind=Organization.Kind.EXPERT_POOL, memberships__user=expert, memberships__role=Role.EXPERT
        ).select_related("parent")
    )


def can_manage_expert(user, expert) -> bool:
    """The expert edits their own profile; an authority admin edits the profiles of its pools' experts (the
    provincial administrator those of the provincial pools)."""
    if getattr(user, "pk", None) == expert.pk:
        return True
    actor = actor_for(user)
    for pool in pools_of(expert):
        owner = pool.parent
        if owner is not None and actor.has_role(Role.AUTHORITY_ADMIN, owner.pk):
            return True
        provincial = owner is None or owner.kind == Organization.Kind.PROVINCIAL_HR
        if provincial and actor.is_provincial_admin:
            return True
    return False


def expert_profile_update(*, actor, expert, data: dict) -> ExpertProfile:
    """Create or change an expert's profile (fields, title, employer, prefecture, availability)."""
    if not Membership.objects.filter(user=expert, role=Role.EXPERT).exists():
        raise PermissionRefused(_("该用户不是评审专家。"))
    if not can_manage_expert(actor, expert):
        raise PermissionRefused(_("您无权修改该专家的信息。"))
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(_("无效的字段。"), field_errors={k: [_("无效的字段。")] for k in sorted(unknown)})
    clean = dict(data)
    if "fields" in clean:
        clean["fields"] = normalize_fields(clean["fields"])
    region = clean.get("region")
    if region is not None and not isinstance(region, Region):
        raise InvalidInput(_("请选择有效的区划。"), field_errors={"region": [_("请选择有效的区划。")]})
    if clean.get("available") is False and not (clean.get("unavailable_note") or "").strip():
        message = _("请说明不可参加评审的原因。")
        raise InvalidInput(message, field_errors={"unavailable_note": [message]})
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.select_for_update().get_or_create(user=expert)
        for name, value in clean.items():
            setattr(profile, name, value)
        if profile.available:
            profile.unavailable_note = ""
        profile.save()
        audit_record(
            actor=actor,
            action="expert.profile_updated",
            obj=profile,
            organization=None,
            comment=", ".join(sorted(clean)),
        )
    return profile
