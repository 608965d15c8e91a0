"""Confirmation of a self-registered institution by its authority (R-05, R-06).

A credit code is public: anyone could register a real institution's code and apply in its name. A registration
therefore starts pending; the municipal HR department of the institution's prefecture (its authority admin or
reviewer) or the provincial administrator confirms it, or refuses it with a reason. Until then the institution
may not apply (applications.services.drafts.application_create). A refusal releases the credit code and the name
(the unique constraints skip refused registrations) and deactivates the organization.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.notify import notify
from kit.todos import TodoItem
from kit.trail import record as audit_record

from .jurisdiction import actor_for
from .models import AUTHORITY_ROLES, Organization, Role
from .selectors import users_with

State = Organization.RegistrationState
DECIDING_ROLES = (Role.AUTHORITY_ADMIN, Role.AUTHORITY_REVIEWER)


def _prefectures_of(actor, *roles) -> set[str]:
    """The prefectures whose municipal HR department the actor holds one of `roles` in."""
    return {
        m.organization.region_id
        for m in actor.memberships
        if m.role in roles and m.organization.kind == Organization.Kind.MUNICIPAL_HR
    }


def _in_prefectures(prefectures) -> Q:
    return Q(region_id__in=prefectures) | Q(region__parent_id__in=prefectures)


def registrations_visible_to(user):
    """Institutions whose registration the user may see: the province sees all, a municipal HR department those
    of its prefecture."""
    actor = actor_for(user)
    qs = Organization.objects.filter(kind=Organization.Kind.INSTITUTION).select_related("region__parent")
    if actor.user_id is None:
        return qs.none()
    if actor.is_provincial:
        return qs
    return qs.filter(_in_prefectures(_prefectures_of(actor, *AUTHORITY_ROLES)))


def can_decide_registration(user, organization) -> bool:
    actor = actor_for(user)
    if actor.is_provincial_admin:
        return True
    prefecture = organization.region.prefecture
    return prefecture is not None and prefecture.code in _prefectures_of(actor, *DECIDING_ROLES)


def pending_registrations(user):
    return (
        registrations_visible_to(user).filter(registration_state=State.PENDING).order_by("created_at", "id")
    )


def _lock(actor, organization_id) -> Organization:
    org = registrations_visible_to(actor).select_for_update(of=("self",)).filter(pk=organization_id).first()
    if org is None:
        raise NotVisible(_("未找到该机构。"))
    if not can_decide_registration(actor, org):
        raise PermissionRefused(_("只有所在地人社部门的管理员、审核员或省级系统管理员可以确认机构注册。"))
    if org.registration_state != State.PENDING:
        raise WrongState(
            _("该机构的注册已处理（%(s)s），不能重复办理。") % {"s": org.get_registration_state_display()}
        )
    return org


def _decide(*, actor, organization_id: int, to_state: str, reason: str) -> Organization:
    with transaction.atomic():
        org = _lock(actor, organization_id)
        org.registration_state = to_state
        org.registration_reason = reason
        org.registration_decided_at = timezone.now()
        org.registration_decided_by = actor
        fields = [
            "registration_state",
            "registration_reason",
            "registration_decided_at",
            "registration_decided_by",
        ]
        if to_state == State.REFUSED:
            org.is_active = False  # its accounts keep no role; the inbox still tells them why
            fields.append("is_active")
        org.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=f"institution.registration_{to_state}",
            obj=org,
            organization=org,
            from_state=State.PENDING,
            to_state=to_state,
            comment=reason,
        )
        _notify_institution(org)
    return org


def registration_confirm(*, actor, organization_id: int) -> Organization:
    """Confirm a pending registration: the institution may apply from now on."""
    return _decide(actor=actor, organization_id=organization_id, to_state=State.CONFIRMED, reason="")


def registration_refuse(*, actor, organization_id: int, reason: str) -> Organization:
    """Refuse a pending registration with a reason the institution is told."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("请填写不予确认的理由。"), field_errors={"reason": [_("请填写不予确认的理由。")]}
        )
    return _decide(actor=actor, organization_id=organization_id, to_state=State.REFUSED, reason=reason[:2000])


def _notify_institution(org) -> None:
    if org.registration_state == State.CONFIRMED:
        title = _("机构注册已确认：%(o)s") % {"o": org.name}
        body = _("主管部门已确认贵机构的注册，现在可以在开放的申报批次中申报继续教育基地。")
        url = reverse("applications:batches")
    else:
        title = _("机构注册未通过：%(o)s") % {"o": org.name}
        body = _("主管部门未确认贵机构的注册，理由：%(r)s") % {"r": org.registration_reason}
        url = ""
    notify(
        users=list(users_with(org.pk, Role.INSTITUTION_ADMIN)),
        kind=f"registration.{org.registration_state}",
        title=title,
        body=body,
        url=url,
    )


def decides_registrations(actor) -> bool:
    """Whose 我的待办 shows the registration group even when empty: those who decide registrations."""
    return bool(actor.is_provincial_admin or _prefectures_of(actor, *DECIDING_ROLES))


def todos_for_user(user, actor):
    """我的待办: pending registrations for those who decide them; the wait for a pending institution's staff."""
    items = []
    if actor.is_provincial_admin or _prefectures_of(actor, *DECIDING_ROLES):
        for org in pending_registrations(user):
            if can_decide_registration(user, org):
                items.append(
                    TodoItem(
                        title=_("待确认机构注册：%(o)s") % {"o": org.name},
                        url=reverse("accounts:registration", args=[org.pk]),
                        detail=f"{org.credit_code} · {org.region.name}",
                        category="registration",
                    )
                )
    for m in actor.memberships:
        if m.organization.is_institution and m.organization.registration_state == State.PENDING:
            items.append(
                TodoItem(
                    title=_("本机构注册待主管部门确认：%(o)s") % {"o": m.organization.name},
                    url=reverse("portal:dashboard"),
                    detail=_("确认前不能申报基地；如长时间未确认，请联系所在地人社部门。"),
                    category="registration",
                )
            )
            break
    return items
