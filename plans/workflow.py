"""Annual plan workflow (R-22): draft → host_review → submitted → filed, with returned from host review or from
the authority. Amendments of a filed plan take the same path."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from .deadlines import is_late
from .models import AnnualPlan, PlanState
from .permissions import is_base_staff, is_host_reviewer, is_plan_authority

S = PlanState


def _guard_submit(plan):
    if not plan.items.exists():
        raise WrongState(_("计划中至少要有一个培训项目。"))
    if plan.kind == AnnualPlan.Kind.AMENDMENT and not plan.amendment_reason.strip():
        raise WrongState(_("请填写计划调整理由。"))
    if plan.kind == AnnualPlan.Kind.PLAN and not plan.summary_narrative.strip():
        raise WrongState(_("请填写上年度计划执行情况总结。"))


def _on_host_approve(plan, actor, now):
    plan.host_reviewed_by = actor
    if plan.first_submitted_at is None:
        plan.first_submitted_at = now
        # Late is decided once, at the first submission to the authority, and stays.
        plan.is_late = plan.kind == AnnualPlan.Kind.PLAN and is_late(plan.year, now)


def _on_file(plan, actor, now):
    plan.filed_by, plan.filed_at = actor, now


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: tuple
    target: str
    allowed: Callable
    guard: Callable | None = None
    effect: Callable | None = None
    needs_comment: bool = False
    style: str = "primary"
    confirm: object = ""


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "submit_to_host",
            gettext_lazy("提交建设单位审核"),
            (S.DRAFT, S.RETURNED),
            S.HOST_REVIEW,
            is_base_staff,
            guard=_guard_submit,
        ),
        Transition(
            "host_approve",
            gettext_lazy("审核同意并报送备案"),
            (S.HOST_REVIEW,),
            S.SUBMITTED,
            is_host_reviewer,
            effect=_on_host_approve,
            style="success",
        ),
        Transition(
            "host_return",
            gettext_lazy("退回修改"),
            (S.HOST_REVIEW,),
            S.RETURNED,
            is_host_reviewer,
            needs_comment=True,
            style="warning",
        ),
        Transition(
            "file",
            gettext_lazy("予以备案"),
            (S.SUBMITTED,),
            S.FILED,
            is_plan_authority,
            effect=_on_file,
            style="success",
            confirm=gettext_lazy("备案后基地即可按计划开展培训。确定备案？"),
        ),
        Transition(
            "return",
            gettext_lazy("退回"),
            (S.SUBMITTED,),
            S.RETURNED,
            is_plan_authority,
            needs_comment=True,
            style="warning",
        ),
    ]
}


def available_actions(plan, user):
    return [t for t in TRANSITIONS.values() if plan.state in t.sources and t.allowed(user, plan.base)]


def transition(plan, action: str, actor, *, comment: str = "", now=None) -> AnnualPlan:
    """Lock, check visibility (404), role (403), state (409), guard; change; audit; notify on commit."""
    from .notify import notify_plan_transition
    from .selectors import plans_visible_to

    spec = TRANSITIONS.get(action)
    if spec is None:
        raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
    comment = (comment or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            plans_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("base")
            .filter(pk=plan.pk)
            .first()
        )
        if locked is None:
            raise NotVisible(_("未找到该计划。"))
        if not spec.allowed(actor, locked.base):
            raise PermissionRefused(_("您无权执行“%(a)s”。") % {"a": spec.label})
        if locked.state not in spec.sources:
            raise WrongState(
                _("计划当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": locked.get_state_display(), "a": spec.label}
            )
        if spec.needs_comment and not comment:
            raise InvalidInput(_("请填写意见。"), field_errors={"comment": [_("请填写意见。")]})
        if spec.guard:
            spec.guard(locked)
        before = locked.state
        locked.state = spec.target
        if spec.effect:
            spec.effect(locked, actor, now)
        if comment or spec.needs_comment:
            locked.last_comment = comment
        locked.save()
        audit_record(
            actor=actor,
            action=f"plan.{action}",
            obj=locked,
            organization=locked.base.approving_authority,
            from_state=before,
            to_state=locked.state,
            comment=comment + (" [late]" if action == "host_approve" and locked.is_late else ""),
        )
        notify_plan_transition(locked, action, actor)
    return locked
