"""Rectification workflow (R-27, R-28): open → replied → closed | back to open; once the deadline has passed
unresolved, revocation is proposed and an approver revokes."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from audit.services import audit_record
from bases.models import Base
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from .models import Rectification
from .permissions import is_base_staff, is_staff_of

S = Rectification.State


def _authority(role):
    return lambda user, rect: is_staff_of(user, rect.base.approving_authority_id, *role)


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: tuple
    target: str
    allowed: object
    needs_comment: bool = False
    style: str = "primary"
    confirm: object = ""


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "reply", gettext_lazy("报送整改情况"), (S.OPEN,), S.REPLIED, lambda u, r: is_base_staff(u, r.base)
        ),
        Transition(
            "accept",
            gettext_lazy("整改验收通过"),
            (S.REPLIED,),
            S.CLOSED,
            _authority((Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)),
            style="success",
        ),
        Transition(
            "reject",
            gettext_lazy("整改不到位，继续整改"),
            (S.REPLIED,),
            S.OPEN,
            _authority((Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)),
            needs_comment=True,
            style="warning",
        ),
        Transition(
            "propose_revocation",
            gettext_lazy("提出撤销基地资格"),
            (S.OPEN, S.REPLIED),
            S.REVOCATION_PROPOSED,
            _authority((Role.AUTHORITY_REVIEWER,)),
            needs_comment=True,
            style="danger",
        ),
        Transition(
            "revoke",
            gettext_lazy("撤销基地资格"),
            (S.REVOCATION_PROPOSED,),
            S.REVOKED,
            _authority((Role.AUTHORITY_APPROVER,)),
            needs_comment=True,
            style="danger",
            confirm=gettext_lazy("撤销后将公告，并不再受理该机构的申请。确定撤销？"),
        ),
        Transition(
            "keep",
            gettext_lazy("不予撤销，继续整改"),
            (S.REVOCATION_PROPOSED,),
            S.OPEN,
            _authority((Role.AUTHORITY_APPROVER,)),
            needs_comment=True,
            style="outline-secondary",
        ),
    ]
}


def available_actions(rect, user, today=None):
    """The buttons to show. Revocation is offered only once the deadline has passed, replying only before."""
    today = today or timezone.localdate()
    hidden = {"propose_revocation"} if today <= rect.deadline else {"reply"}
    return [
        t
        for t in TRANSITIONS.values()
        if rect.state in t.sources and t.allowed(user, rect) and t.action not in hidden
    ]


def transition(rectification_id, action, actor, *, comment="", reply="", evidence=None, today=None):
    from .notify import notify_rectification
    from .selectors import rectifications_visible_to
    from .services import base_revoke

    spec = TRANSITIONS.get(action)
    if spec is None:
        raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
    comment = (comment or "").strip()
    today = today or timezone.localdate()
    with transaction.atomic():
        rect = (
            rectifications_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("base__institution", "base__approving_authority")
            .filter(pk=rectification_id)
            .first()
        )
        if rect is None:
            raise NotVisible(_("未找到该整改。"))
        if not spec.allowed(actor, rect):
            raise PermissionRefused(_("您无权执行“%(a)s”。") % {"a": spec.label})
        if rect.state not in spec.sources:
            raise WrongState(
                _("整改当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": rect.get_state_display(), "a": spec.label}
            )
        if spec.needs_comment and not comment:
            raise InvalidInput(_("请填写意见或理由。"), field_errors={"comment": [_("请填写意见或理由。")]})
        if action == "propose_revocation" and today <= rect.deadline:
            raise WrongState(_("整改期限（%(d)s）未满，不能提出撤销。") % {"d": rect.deadline})
        if action == "reply" and today > rect.deadline:
            raise WrongState(_("整改期限（%(d)s）已过，不能再报送整改情况。") % {"d": rect.deadline})
        before = rect.state
        rect.state = spec.target
        rect.last_comment = comment or rect.last_comment
        if action == "reply":
            rect.reply, rect.replied_at = reply, timezone.now()
            if evidence is not None:
                from kit.uploads import check_upload

                from .models import RectificationEvidence

                checked = check_upload(evidence)
                RectificationEvidence.objects.create(
                    rectification=rect,
                    file=evidence,
                    original_name=evidence.name[:200],
                    content_type=checked.content_type,
                    size=checked.size,
                )
        rect.save()
        if (
            action == "accept"
            and not Rectification.objects.filter(base=rect.base)
            .exclude(pk=rect.pk)
            .exclude(state__in=[S.CLOSED, S.REVOKED])
            .exists()
        ):
            Base.objects.filter(pk=rect.base_id, status=Base.Status.RECTIFICATION).update(
                status=Base.Status.ACTIVE
            )
        audit_record(
            actor=actor,
            action=f"rectification.{action}",
            obj=rect,
            organization=rect.base.approving_authority,
            from_state=before,
            to_state=rect.state,
            comment=comment,
        )
        if action == "revoke":
            base_revoke(actor=actor, base=rect.base, reasons=comment, rectification=rect)
        notify_rectification(rect, action, actor)
    return rect
