"""The recognition workflow of Article 10 (R-16, R-17) as a table, with one transition() and available_actions().

States: draft → submitted → [recommended] → under_review → expert_review → site_visit → publicity → recognised,
with returned (the applicant corrects and resubmits), rejected (refused before the decision), declined (decision
not to recognise) and withdrawn.

The decision (`approve`) starts the publicity period at once, as the batch's working days counted with the
official calendar; DESIGN.md's separate `decided_approved` state is therefore not kept: the frozen Decision
row records the approval, and the application is in publicity from that moment.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from . import effects
from .models import Application, ApplicationState
from .permissions import is_applicant, is_approver, is_recommender, is_reviewer

S = ApplicationState
BEFORE_DECISION = (S.SUBMITTED, S.RECOMMENDED, S.UNDER_REVIEW, S.EXPERT_REVIEW, S.SITE_VISIT)

ROLE_CHECKS = {
    "applicant": is_applicant,
    "recommender": is_recommender,
    "reviewer": is_reviewer,
    "approver": is_approver,
    "authority": lambda u, a: is_reviewer(u, a) or is_approver(u, a),
    # Before the decision the reviewer returns or rejects; before a recommendation the recommender may too.
    "reviewer_or_recommender": lambda u, a: (
        is_reviewer(u, a)
        or (a.state == S.SUBMITTED and a.batch.requires_recommendation and is_recommender(u, a))
    ),
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: tuple
    target: str
    who: str
    guard: Callable | None = None
    effect: Callable | None = None
    needs_comment: bool = False
    confirm: object = ""
    style: str = "primary"
    # True when the guard reads only the application (not the user's input), so the UI can run it in
    # advance and show why the button cannot be pressed yet.
    precheck: bool = True


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "submit",
            gettext_lazy("提交申报"),
            (S.DRAFT, S.RETURNED),
            S.SUBMITTED,
            "applicant",
            guard=effects.guard_submit,
            effect=effects.on_submit,
            confirm=gettext_lazy("提交后将无法修改，除非被退回补正。确定提交？"),
        ),
        Transition(
            "recommend",
            gettext_lazy("同意推荐"),
            (S.SUBMITTED,),
            S.RECOMMENDED,
            "recommender",
            guard=effects.guard_recommend,
        ),
        Transition(
            "start_review",
            gettext_lazy("受理并开始形式审核"),
            (S.SUBMITTED, S.RECOMMENDED),
            S.UNDER_REVIEW,
            "reviewer",
            guard=effects.guard_start_review,
        ),
        Transition(
            "pass_formal_review",
            gettext_lazy("形式审核通过，进入专家评审"),
            (S.UNDER_REVIEW,),
            S.EXPERT_REVIEW,
            "reviewer",
        ),
        Transition(
            "complete_expert_review",
            gettext_lazy("专家评审完成，进入实地考察"),
            (S.EXPERT_REVIEW,),
            S.SITE_VISIT,
            "reviewer",
            guard=effects.guard_complete_expert_review,
        ),
        Transition(
            "approve",
            gettext_lazy("予以认定并公示"),
            (S.SITE_VISIT,),
            S.PUBLICITY,
            "approver",
            guard=effects.guard_approve,
            effect=effects.on_approve,
            needs_comment=True,
            confirm=gettext_lazy("认定决定作出后将冻结申报内容并发布公示。确定？"),
            style="success",
        ),
        Transition(
            "decline",
            gettext_lazy("不予认定"),
            (S.SITE_VISIT, S.PUBLICITY),
            S.DECLINED,
            "approver",
            effect=effects.on_decline,
            needs_comment=True,
            confirm=gettext_lazy("不予认定为最终决定。确定？"),
            style="danger",
        ),
        Transition(
            "publish",
            gettext_lazy("公示期满，认定公布"),
            (S.PUBLICITY,),
            S.RECOGNISED,
            "authority",
            guard=effects.guard_publish,
            effect=effects.on_publish,
            confirm=gettext_lazy("将创建继续教育基地并发布认定公告。确定？"),
            style="success",
        ),
        Transition(
            "return",
            gettext_lazy("退回补正"),
            BEFORE_DECISION,
            S.RETURNED,
            "reviewer_or_recommender",
            guard=effects.guard_return,
            effect=effects.on_return,
            precheck=False,
            style="warning",
        ),
        Transition(
            "reject",
            gettext_lazy("不予受理"),
            BEFORE_DECISION,
            S.REJECTED,
            "reviewer_or_recommender",
            needs_comment=True,
            confirm=gettext_lazy("不予受理后申报即终止。确定？"),
            style="danger",
        ),
        Transition(
            "withdraw",
            gettext_lazy("撤回申报"),
            (S.DRAFT, S.RETURNED, *BEFORE_DECISION),
            S.WITHDRAWN,
            "applicant",
            confirm=gettext_lazy("撤回后本次申报终止。确定撤回？"),
            style="outline-danger",
        ),
    ]
}


def _may(user, application, transition) -> bool:
    return ROLE_CHECKS[transition.who](user, application)


def available_actions(application, user) -> list[Transition]:
    """The transitions `user` may press now (the guard is checked when pressed, so its message can be shown)."""
    return [t for t in TRANSITIONS.values() if application.state in t.sources and _may(user, application, t)]


def action_states(application, user) -> list[tuple[Transition, str]]:
    """Available actions with, for each, the reason it cannot be pressed yet ('' when it can)."""
    from kit.errors import DomainError

    states = []
    for spec in available_actions(application, user):
        reason = ""
        if spec.guard and spec.precheck:
            try:
                spec.guard(application, user)
            except DomainError as exc:
                reason = exc.message
        states.append((spec, reason))
    return states


def transition(application, action: str, actor, *, comment: str = "", **data) -> Application:
    """Run one workflow action in one transaction: lock, check visibility, role, state and guard, change the
    state, write the audit event, and queue notifications on commit."""
    from .selectors import visible_to

    spec = TRANSITIONS.get(action)
    if spec is None:
        raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
    comment = (comment or "").strip()
    with transaction.atomic():
        app = (
            visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("batch__approving_authority", "institution")
            .filter(pk=application.pk)
            .first()
        )
        if app is None:
            raise NotVisible(_("未找到该申报。"))
        if not _may(actor, app, spec):
            raise PermissionRefused(_("您无权执行“%(a)s”。") % {"a": spec.label})
        if app.state not in spec.sources:
            raise WrongState(
                _("申报当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": app.get_state_display(), "a": spec.label}
            )
        if spec.needs_comment and not comment:
            raise InvalidInput(_("请填写意见或理由。"), field_errors={"comment": [_("请填写意见或理由。")]})
        if spec.guard:
            spec.guard(app, actor, comment=comment, **data)
        from_state = app.state
        app.state = spec.target
        app.save(update_fields=["state", "updated_at"])
        if spec.effect:
            spec.effect(app, actor, comment=comment, **data)
        audit_record(
            actor=actor,
            action=f"application.{action}",
            obj=app,
            organization=app.batch.approving_authority,
            from_state=from_state,
            to_state=app.state,
            comment=comment,
        )
        effects.notify_transition(app, action, actor, comment)
    return app
