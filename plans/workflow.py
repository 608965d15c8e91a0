"""Annual plan workflow (R-22): draft → host_review → submitted → filed, with returned from host review or from
the authority. Amendments of a filed plan take the same path."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.selectors import actor_ids_of
from engine import Machine, Transition
from kit.errors import WrongState

from .deadlines import is_late
from .models import AnnualPlan, PlanState
from .notify import notify_plan_transition
from .permissions import is_base_staff, is_host_reviewer, is_plan_authority
from .selectors import plans_visible_to

S = PlanState


def _guard_submit(plan, actor, **data):
    if not plan.items.exists():
        raise WrongState(_("计划中至少要有一个培训项目。"))
    if plan.kind == AnnualPlan.Kind.AMENDMENT and not plan.amendment_reason.strip():
        raise WrongState(_("请填写计划调整理由。"))
    if plan.kind == AnnualPlan.Kind.PLAN and not plan.summary_narrative.strip():
        raise WrongState(_("请填写上年度计划执行情况总结。"))


def _on_host_approve(plan, actor, *, now=None, **data):
    now = now or timezone.now()
    plan.host_reviewed_by = actor
    if plan.first_submitted_at is None:
        plan.first_submitted_at = now
        # Late is decided once, at the first submission to the authority, and stays.
        plan.is_late = plan.kind == AnnualPlan.Kind.PLAN and is_late(plan.year, now)


def _on_file(plan, actor, *, now=None, **data):
    plan.filed_by, plan.filed_at = actor, now or timezone.now()


def _of_base(check):
    """Apply a permission on the plan's base (the permissions speak of bases)."""
    return lambda user, plan: check(user, plan.base)


def _submitter(plan) -> set:
    """Return who submitted the plan to this host review: they may not approve it as host reviewer too."""
    return actor_ids_of(plan, "plan.submit_to_host", latest=True)


TABLE = [
    Transition(
        "submit_to_host",
        gettext_lazy("提交建设单位审核"),
        (S.DRAFT, S.RETURNED),
        S.HOST_REVIEW,
        _of_base(is_base_staff),
        guard=_guard_submit,
        confirm=gettext_lazy("提交后计划不能再修改，除非建设单位退回。确定提交建设单位审核？"),
    ),
    Transition(
        "host_approve",
        gettext_lazy("审核同意并报送备案"),
        (S.HOST_REVIEW,),
        S.SUBMITTED,
        _of_base(is_host_reviewer),
        effect=_on_host_approve,
        preparers=_submitter,
        separation=gettext_lazy(
            "按照职责分离要求，提交建设单位审核的人员不能再以建设单位审核人身份审核同意，请由其他审核人办理。"
        ),
        fields=("host_reviewed_by", "first_submitted_at", "is_late"),
        note=lambda plan: "[late]" if plan.is_late else "",
        style="success",
    ),
    Transition(
        "host_return",
        gettext_lazy("退回修改"),
        (S.HOST_REVIEW,),
        S.RETURNED,
        _of_base(is_host_reviewer),
        needs_comment=True,
        style="warning",
    ),
    Transition(
        "file",
        gettext_lazy("予以备案"),
        (S.SUBMITTED,),
        S.FILED,
        _of_base(is_plan_authority),
        effect=_on_file,
        fields=("filed_by", "filed_at"),
        style="success",
        confirm=gettext_lazy("备案后基地即可按计划开展培训。确定备案？"),
    ),
    Transition(
        "return",
        gettext_lazy("退回"),
        (S.SUBMITTED,),
        S.RETURNED,
        _of_base(is_plan_authority),
        needs_comment=True,
        style="warning",
    ),
]


MACHINE = Machine(
    name="plan",
    noun=gettext_lazy("计划"),
    model=AnnualPlan,
    visible_to=plans_visible_to,
    organization=lambda plan: plan.base.approving_authority,
    transitions=TABLE,
    related=("base",),
    touch=("updated_at",),
    comment_field="last_comment",
    notify=notify_plan_transition,
)
# The actions the API accepts for this machine (its schema names the enum in settings).
ACTIONS = sorted(MACHINE.table)
