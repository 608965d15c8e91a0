"""The recognition workflow of Article 10 (R-16, R-17) as a table, with one transition() and available_actions().

States: draft → submitted → [recommended] → under_review → expert_review → site_visit → publicity → recognised,
with returned (the applicant corrects and resubmits), rejected (refused before the decision), declined (decision
not to recognise) and withdrawn.

The panel's resolution (`record_panel_resolution`, run by the panel service for each application of a
meeting) moves the application to `decision`, where the approver decides from it. The decision (`approve`) starts the publicity period at once, as the batch's working days counted with the
official calendar; DESIGN.md's separate `decided_approved` state is therefore not kept: the frozen Decision
row records the approval, and the application is in publicity from that moment.
"""

from django.utils.translation import gettext_lazy

from audit.labels import register_state_labels
from audit.selectors import actor_ids_of
from engine import Machine, Transition

from . import effects
from .models import Application, ApplicationState
from .permissions import is_applicant, is_approver, is_recommender, is_reviewer
from .selectors import visible_to

S = ApplicationState
BEFORE_DECISION = (S.SUBMITTED, S.RECOMMENDED, S.FORMAL_REVIEW, S.DEMONSTRATION, S.SITE_VISIT, S.PANEL_REVIEW)


def is_authority(user, app) -> bool:
    return is_reviewer(user, app) or is_approver(user, app)


def may_return_or_reject(user, app) -> bool:
    """Before the decision the reviewer returns or rejects (R-16); before a recommendation the recommender may."""
    return is_reviewer(user, app) or (
        app.state == S.SUBMITTED and app.batch.requires_recommendation and is_recommender(user, app)
    )


def decision_preparers(app) -> set:
    """Return who prepared the decision: the reviewers who recorded a site visit or the panel's resolution
    (their conclusions propose the decision) and whoever recommended the application. None of them may take the
    decision (segregation of duties), even when they also hold the approver role."""
    visitors = set(app.site_visits.values_list("recorded_by_id", flat=True))
    panel = set(app.panel_resolutions.values_list("recorded_by_id", flat=True))
    return visitors | panel | actor_ids_of(app, "application.recommend")


DECISION_SEPARATION = gettext_lazy(
    "按照职责分离要求，录入实地考察结论、评审会结论或推荐本申报的人员不能再作出认定决定，请由其他审批人办理。"
)

TABLE = [
    Transition(
        "submit",
        gettext_lazy("提交申报"),
        (S.DRAFT, S.RETURNED),
        S.SUBMITTED,
        is_applicant,
        guard=effects.guard_submit,
        effect=effects.on_submit,
        confirm=gettext_lazy("提交后将无法修改，除非被退回补正。确定提交？"),
    ),
    Transition(
        "recommend",
        gettext_lazy("同意推荐"),
        (S.SUBMITTED,),
        S.RECOMMENDED,
        is_recommender,
        guard=effects.guard_recommend,
    ),
    Transition(
        "start_review",
        gettext_lazy("受理并开始形式审核"),
        (S.SUBMITTED, S.RECOMMENDED),
        S.FORMAL_REVIEW,
        is_reviewer,
        guard=effects.guard_start_review,
    ),
    Transition(
        "pass_formal_review",
        gettext_lazy("形式审核通过，进入专家论证"),
        (S.FORMAL_REVIEW,),
        S.DEMONSTRATION,
        is_reviewer,
    ),
    Transition(
        "complete_expert_review",
        gettext_lazy("专家论证完成，进入实地考察"),
        (S.DEMONSTRATION,),
        S.SITE_VISIT,
        is_reviewer,
        guard=effects.guard_complete_expert_review,
    ),
    Transition(
        "complete_site_visit",
        gettext_lazy("实地考察完成，提交评审会评审"),
        (S.SITE_VISIT,),
        S.PANEL_REVIEW,
        is_reviewer,
        guard=effects.guard_complete_site_visit,
    ),
    Transition(
        # Run by the panel service, one application of a meeting at a time: the resolution's data comes with it.
        "record_panel_resolution",
        gettext_lazy("录入评审会结论"),
        (S.PANEL_REVIEW,),
        S.DECISION,
        is_reviewer,
        guard=effects.guard_panel_resolution,
        effect=effects.on_panel_resolution,
        precheck=False,
        offered=lambda app, **context: False,
        note=effects.panel_resolution_note,
    ),
    Transition(
        "approve",
        gettext_lazy("予以认定并公示"),
        (S.DECISION,),
        S.PUBLICITY,
        is_approver,
        guard=effects.guard_approve,
        effect=effects.on_approve,
        preparers=decision_preparers,
        separation=DECISION_SEPARATION,
        needs_comment=True,
        confirm=gettext_lazy("认定决定作出后将冻结申报内容并发布公示。确定？"),
        style="success",
    ),
    Transition(
        "decline",
        gettext_lazy("不予认定"),
        (S.DECISION, S.PUBLICITY),
        S.DECLINED,
        is_approver,
        effect=effects.on_decline,
        preparers=decision_preparers,
        separation=DECISION_SEPARATION,
        needs_comment=True,
        confirm=gettext_lazy("不予认定为最终决定。确定？"),
        style="danger",
    ),
    Transition(
        "publish",
        gettext_lazy("公示期满，认定公布"),
        (S.PUBLICITY,),
        S.RECOGNISED,
        is_authority,
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
        may_return_or_reject,
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
        may_return_or_reject,
        needs_comment=True,
        confirm=gettext_lazy("不予受理后申报即终止。确定？"),
        style="danger",
    ),
    Transition(
        "withdraw",
        gettext_lazy("撤回申报"),
        (S.DRAFT, S.RETURNED, *BEFORE_DECISION, S.DECISION),
        S.WITHDRAWN,
        is_applicant,
        confirm=gettext_lazy("撤回后本次申报终止。确定撤回？"),
        style="outline-danger",
    ),
]

MACHINE = Machine(
    name="application",
    noun=gettext_lazy("申报"),
    model=Application,
    visible_to=visible_to,
    organization=lambda app: app.batch.approving_authority,
    transitions=TABLE,
    related=("batch__approving_authority", "institution"),
    touch=("updated_at",),
    notify=effects.notify_transition,
)
# The actions the API accepts for this machine (its schema names the enum in settings).
ACTIONS = sorted(MACHINE.table)
# Audit events written before Art. 10's order was followed name the two states it renamed (migration 0003).
register_state_labels(
    "applications.application",
    {"under_review": gettext_lazy("形式审核"), "expert_review": gettext_lazy("专家评审")},
)
