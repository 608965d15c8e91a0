"""Expert review (论证, R-16): assign experts from the pool, their conflict declaration and scores."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from notifications.services import notify

from .. import workflow
from ..effects import MIN_EXPERTS, reviewers
from ..models import (
    Application,
    ExpertAssignment,
)
from ..permissions import is_reviewer

# --- experts --------------------------------------------------------------------------------------------


def expert_assign(
    *, actor, application: Application, experts: list, reason: str, due_on=None
) -> list[ExpertAssignment]:
    """Choose experts of the expert pool by hand, with the reason (the random draw is the rule: see
    `expert_draw`). An expert who belongs to the applying institution has a conflict of interest and cannot be
    assigned."""
    reason = (reason or "").strip()
    with transaction.atomic():
        app = workflow.MACHINE.lock(application, actor)
        if not is_reviewer(actor, app):
            raise PermissionRefused(_("只有认定部门的审核员可以选派专家。"))
        if app.state != Application.State.DEMONSTRATION:
            raise WrongState(_("只有处于专家论证阶段的申报可以选派专家。"))
        if not reason:
            message = _("指定专家须说明理由。")
            raise InvalidInput(message, field_errors={"reason": [message]})
        errors = []
        for expert in experts:
            if not Membership.objects.filter(
                user=expert, role=Role.EXPERT, organization__kind="expert_pool"
            ).exists():
                errors.append(_("%(u)s 不是专家库成员。") % {"u": expert})
            elif Membership.objects.filter(user=expert, organization=app.institution).exists():
                errors.append(_("%(u)s 与申报单位存在利益关系（同一单位），须回避。") % {"u": expert})
            elif app.assignments.filter(expert=expert).exists():
                errors.append(_("%(u)s 已被选派。") % {"u": expert})
        if errors:
            raise InvalidInput(_("选派失败，未选派任何专家。"), field_errors={"experts": errors})
        # The panel scores only with at least MIN_EXPERTS experts: refuse a selection that cannot reach it
        # (experts who recused themselves do not count).
        serving = app.assignments.exclude(status__in=ExpertAssignment.NOT_SERVING).count()
        if serving + len(experts) < MIN_EXPERTS:
            message = _("至少需要选派 %(n)d 位专家（已选派 %(m)d 位，本次选了 %(k)d 位）。") % {
                "n": MIN_EXPERTS,
                "m": serving,
                "k": len(experts),
            }
            raise InvalidInput(message, field_errors={"experts": [message]})
        return assignments_create(actor=actor, app=app, experts=experts, due_on=due_on, reason=reason)


def assignments_create(*, actor, app, experts, due_on=None, drawn=False, reason="") -> list[ExpertAssignment]:
    """Assign `experts` to the locked `app`, audit each assignment and tell each expert (e-mail on commit)."""
    due_on = due_on or (timezone.localdate() + timedelta(days=14))
    created = []
    for expert in experts:
        assignment = ExpertAssignment.objects.create(
            application=app,
            expert=expert,
            assigned_by=actor,
            due_on=due_on,
            drawn=drawn,
            choice_reason=reason,
        )
        created.append(assignment)
        # The comment is the expert's user name: the history shows each expert their own assignment by it.
        audit_record(
            actor=actor,
            action="application.expert_assigned",
            obj=app,
            organization=app.batch.approving_authority,
            comment=expert.get_username(),
        )
        if reason:
            audit_record(
                actor=actor,
                action="application.expert_chosen",
                obj=app,
                organization=app.batch.approving_authority,
                comment=f"{expert.get_username()}: {reason}",
            )
    for assignment in created:
        notify(
            users=[assignment.expert],
            kind="application.expert_assigned",
            title=_("新的评审任务：%(name)s") % {"name": app.base_name},
            body=_("请于 %(d)s 前完成利益冲突声明和评分。") % {"d": due_on},
            url=reverse("applications:assignment", args=[assignment.pk]),
        )
    return created


def _lock_assignment(actor, assignment_id) -> ExpertAssignment:
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("application__batch", "application__institution")
        .filter(pk=assignment_id, expert=actor)
        .first()
    )
    if assignment is None:
        raise NotVisible(_("未找到该评审任务。"))
    if assignment.application.state != Application.State.DEMONSTRATION:
        raise WrongState(_("该申报已不在专家评审阶段。"))
    return assignment


def assignment_declare(
    *, actor, assignment_id: int, has_conflict: bool, note: str = "", declines: bool = False
) -> ExpertAssignment:
    """The expert declares whether they have a conflict of interest before seeing the scoring form, or declines
    the task (unavailable); either way with the reason, and the reviewers draw a replacement."""
    with transaction.atomic():
        a = _lock_assignment(actor, assignment_id)
        if a.status != ExpertAssignment.Status.ASSIGNED:
            raise WrongState(_("已作出声明。"))
        if (has_conflict or declines) and not note.strip():
            message = _("请说明无法参加的原因。") if declines else _("请说明回避原因。")
            raise InvalidInput(message, field_errors={"note": [message]})
        if declines:
            a.status = ExpertAssignment.Status.DECLINED
        else:
            a.status = ExpertAssignment.Status.CONFLICT if has_conflict else ExpertAssignment.Status.ACCEPTED
        a.conflict_note = note.strip()
        a.declared_at = timezone.now()
        a.save(update_fields=["status", "conflict_note", "declared_at"])
        action = {
            ExpertAssignment.Status.DECLINED: "expert.declined",
            ExpertAssignment.Status.CONFLICT: "expert.conflict_declared",
        }.get(a.status, "expert.no_conflict_declared")
        audit_record(
            actor=actor,
            action=action,
            obj=a.application,
            organization=a.application.batch.approving_authority,
            from_state="assigned",
            to_state=a.status,
            comment=a.conflict_note,
        )
        if a.status in ExpertAssignment.NOT_SERVING:
            title = _("专家谢绝参加：%(name)s") if declines else _("专家申请回避：%(name)s")
            notify(
                users=list(reviewers(a.application)),
                kind="application.expert_conflict",
                title=title % {"name": a.application.base_name},
                body=a.conflict_note,
                url=reverse("applications:detail", args=[a.application_id]),
            )
    return a


def assignment_submit_scores(*, actor, assignment_id: int, scores: dict, comment: str) -> ExpertAssignment:
    """Score every item of the batch's rubric within its maximum; a submitted score sheet is final."""
    with transaction.atomic():
        a = _lock_assignment(actor, assignment_id)
        if a.status == ExpertAssignment.Status.SUBMITTED:
            raise WrongState(_("评分已提交，不能修改。"))
        if a.status != ExpertAssignment.Status.ACCEPTED:
            raise WrongState(_("请先声明无利益冲突。"))
        errors = {}
        clean = {}
        for item in a.application.batch.rubric:
            raw = scores.get(item["key"])
            try:
                value = Decimal(str(raw))
            except Exception:  # noqa: BLE001
                errors[item["key"]] = [_("请填写分数。")]
                continue
            if value < 0 or value > int(item["max"]) or (value * 2) % 1 != 0:
                errors[item["key"]] = [_("分数应在 0 至 %(m)s 之间，最小单位 0.5。") % {"m": item["max"]}]
                continue
            clean[item["key"]] = str(value)
        if not comment.strip():
            errors["comment"] = [_("请填写评审意见。")]
        if errors:
            raise InvalidInput(_("评分有误，请按提示修改。"), field_errors=errors)
        a.scores = clean
        a.total = sum(Decimal(v) for v in clean.values())
        a.comment = comment.strip()
        a.status = ExpertAssignment.Status.SUBMITTED
        a.submitted_at = timezone.now()
        a.save(update_fields=["scores", "total", "comment", "status", "submitted_at"])
        audit_record(
            actor=actor,
            action="expert.scores_submitted",
            obj=a.application,
            organization=a.application.batch.approving_authority,
            from_state="accepted",
            to_state="submitted",
            comment=str(a.total),
        )
    return a
