"""The change-request workflow (R-34): submitted → approved | returned → (resubmitted) | withdrawn."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from .models import ChangeRequest
from .permissions import can_request_change, is_base_approver, is_base_reviewer

S = ChangeRequest.State


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: tuple
    target: str
    allowed: Callable
    needs_comment: bool = False
    style: str = "primary"
    confirm: object = ""


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "approve",
            gettext_lazy("批准变更并公布"),
            (S.SUBMITTED,),
            S.APPROVED,
            is_base_approver,
            style="success",
            confirm=gettext_lazy("批准后基地信息将立即变更并发布公告。确定？"),
        ),
        Transition(
            "return",
            gettext_lazy("退回"),
            (S.SUBMITTED,),
            S.RETURNED,
            lambda u, b: is_base_reviewer(u, b) or is_base_approver(u, b),
            needs_comment=True,
            style="warning",
        ),
        Transition(
            "withdraw",
            gettext_lazy("撤回申请"),
            (S.SUBMITTED, S.RETURNED),
            S.WITHDRAWN,
            can_request_change,
            style="outline-danger",
            confirm=gettext_lazy("确定撤回该变更申请？"),
        ),
    ]
}


def available_actions(change_request, user):
    return [
        t
        for t in TRANSITIONS.values()
        if change_request.state in t.sources and t.allowed(user, change_request.base)
    ]


def transition(change_request, action: str, actor, *, comment: str = "") -> ChangeRequest:
    """Lock, check visibility (404), role (403), state (409); change; audit; notify on commit."""
    from .selectors import change_requests_visible_to
    from .services import _notify_change, change_request_apply

    spec = TRANSITIONS.get(action)
    if spec is None:
        raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
    comment = (comment or "").strip()
    with transaction.atomic():
        cr = (
            change_requests_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("base__approving_authority", "base__institution")
            .filter(pk=change_request.pk)
            .first()
        )
        if cr is None:
            raise NotVisible(_("未找到该变更申请。"))
        if not spec.allowed(actor, cr.base):
            raise PermissionRefused(_("您无权执行“%(a)s”。") % {"a": spec.label})
        if cr.state not in spec.sources:
            raise WrongState(
                _("变更申请当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": cr.get_state_display(), "a": spec.label}
            )
        if spec.needs_comment and not comment:
            raise InvalidInput(_("请填写意见。"), field_errors={"comment": [_("请填写意见。")]})
        before = cr.state
        cr.state = spec.target
        if action in ("approve", "return"):
            cr.decided_by, cr.decided_at, cr.decision_comment = actor, timezone.now(), comment
        cr.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
        if action == "approve":
            change_request_apply(actor=actor, change_request=cr)
        audit_record(
            actor=actor,
            action=f"change_request.{action}",
            obj=cr,
            organization=cr.base.approving_authority,
            from_state=before,
            to_state=cr.state,
            comment=comment,
        )
        if action in ("approve", "return"):
            _notify_change(cr, action)
    return cr


def resubmit(change_request, actor, *, proposed: dict, reasons: str) -> ChangeRequest:
    """The applicant corrects a returned request and sends it again."""
    from .selectors import change_requests_visible_to
    from .services import _clean_proposed, _notify_change, base_facts, fee_increases

    with transaction.atomic():
        cr = (
            change_requests_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("base")
            .filter(pk=change_request.pk)
            .first()
        )
        if cr is None:
            raise NotVisible(_("未找到该变更申请。"))
        if not can_request_change(actor, cr.base):
            raise PermissionRefused(_("只有基地所属机构可以修改变更申请。"))
        if cr.state != S.RETURNED:
            raise WrongState(_("只有被退回的变更申请可以修改后重新提交。"))
        if not (reasons or "").strip():
            raise InvalidInput(_("请填写变更理由。"), field_errors={"reasons": [_("请填写变更理由。")]})
        clean = _clean_proposed(cr.base, proposed)
        cr.proposed, cr.reasons = clean, reasons.strip()
        cr.fee_increase = bool(fee_increases(base_facts(cr.base)["fees"], clean["fees"]))
        cr.state = S.SUBMITTED
        cr.save(update_fields=["proposed", "reasons", "fee_increase", "state"])
        audit_record(
            actor=actor,
            action="change_request.resubmitted",
            obj=cr,
            organization=cr.base.institution,
            from_state=S.RETURNED,
            to_state=S.SUBMITTED,
        )
        _notify_change(cr, "submitted")
    return cr
