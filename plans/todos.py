"""我的待办 of the annual plans (R-22): next year's plan to draft or correct, plans in host review, plans to
file. Each item links to the plan (or, before it exists, to the page that starts it); each source runs a fixed
number of queries."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from bases.models import Base
from kit.todos import TodoItem

from .deadlines import deadline_date
from .models import AnnualPlan, PlanState

BASE_STAFF_ROLES = (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)

GROUPS = [
    (
        "plan",
        gettext_lazy("年度计划"),
        gettext_lazy("下一年度计划的编制和报送、建设单位审核、批准部门备案。"),
        30,
        lambda actor: bool(
            actor.orgs_with(
                *BASE_STAFF_ROLES, Role.HOST_REVIEWER, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER
            )
        ),
    ),
]


def _plan_url(plan) -> str:
    return reverse("plans:detail", args=[plan.pk])


def _plans_to_draft(user, actor):
    """Each base of the user's institutions whose next-year plan is not started, a draft, or returned."""
    orgs = actor.orgs_with(*BASE_STAFF_ROLES)
    if not orgs:
        return []
    year = timezone.localdate().year + 1
    bases = list(Base.objects.filter(institution_id__in=orgs).exclude(status=Base.Status.REVOKED))
    plans = {
        p.base_id: p for p in AnnualPlan.objects.filter(base__in=bases, year=year, kind=AnnualPlan.Kind.PLAN)
    }
    items = []
    for base in bases:
        plan = plans.get(base.pk)
        if plan is not None and plan.state not in (PlanState.DRAFT, PlanState.RETURNED):
            continue
        if plan is None:
            url = reverse("plans:start") + "?" + urlencode({"base": base.pk, "year": year})
            title = _("编制并报送 %(y)d 年度计划：%(b)s")
        elif plan.state == PlanState.RETURNED:
            url, title = _plan_url(plan), _("年度计划被退回，修改后重新报送：%(b)s %(y)d 年度")
        else:
            url, title = _plan_url(plan), _("完成并报送 %(y)d 年度计划：%(b)s")
        items.append(
            TodoItem(
                title=title % {"y": year, "b": base.name},
                url=url,
                due=deadline_date(year),
                category="plan",
            )
        )
    return items


def _plans_in_host_review(user, actor):
    orgs = actor.orgs_with(Role.HOST_REVIEWER)
    if not orgs:
        return []
    plans = AnnualPlan.objects.filter(base__institution_id__in=orgs, state=PlanState.HOST_REVIEW)
    return [
        TodoItem(title=_("待审核：%(p)s") % {"p": plan}, url=_plan_url(plan), category="plan")
        for plan in plans.select_related("base")
    ]


def _plans_to_file(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    if not orgs:
        return []
    plans = AnnualPlan.objects.filter(base__approving_authority_id__in=orgs, state=PlanState.SUBMITTED)
    return [
        TodoItem(
            title=_("待备案：%(p)s") % {"p": plan},
            url=_plan_url(plan),
            detail=_("逾期报送") if plan.is_late else "",
            category="plan",
        )
        for plan in plans.select_related("base")
    ]


TASK_SOURCES = [_plans_to_draft, _plans_in_host_review, _plans_to_file]


def todos_for_user(user, actor):
    """What waits for the user among the annual plans (我的待办)."""
    return [item for source in TASK_SOURCES for item in source(user, actor)]
