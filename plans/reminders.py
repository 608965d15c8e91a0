"""The plan deadline reminders (R-22): 30, 14, 7 and 1 day(s) before 31 December to the base's operators and
host-unit reviewers while next year's plan is not submitted; from 1 January an overdue notice to the base and
its authority, then weekly while it stays overdue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from bases.models import Base
from notifications.reminders import DueReminder, current_step

from .deadlines import deadline_date
from .models import AnnualPlan, PlanState

STEPS = [30, 14, 7, 1]
NOT_SUBMITTED = (None, PlanState.DRAFT, PlanState.HOST_REVIEW, PlanState.RETURNED)


def _unsubmitted(year):
    """Bases that owe a plan for `year` and have not submitted it. A base recognised after the deadline owes
    none for that year."""
    states = dict(
        AnnualPlan.objects.filter(year=year, kind=AnnualPlan.Kind.PLAN).values_list("base_id", "state")
    )
    bases = Base.objects.not_revoked().filter(recognised_on__lte=deadline_date(year))
    for base in bases.select_related("institution"):
        if states.get(base.pk) in NOT_SUBMITTED:
            yield base


def plan_deadline_reminders(today):
    # Before the deadline: next year's plan.
    year = today.year + 1
    days_left = (deadline_date(year) - today).days
    step = current_step(days_left, STEPS)
    if step is not None:
        for base in _unsubmitted(year):
            yield DueReminder(
                kind="plan_deadline",
                object_type="bases.base",
                object_id=f"{base.pk}-{year}",
                step=f"before-{step}",
                title=_("请于 %(d)s 前报送 %(y)d 年度计划：%(b)s")
                % {"d": deadline_date(year), "y": year, "b": base.name},
                body=_(
                    "按《办法》第二十条，年度计划执行情况总结和下一年度计划经建设单位审核后，于 12 月 31 日前报批准基地设立的部门备案。"
                ),
                url=reverse("plans:list"),
                recipients=list(
                    users_with(
                        base.institution_id, Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN, Role.HOST_REVIEWER
                    )
                ),
            )
    # After the deadline: this year's plan, overdue, then weekly.
    year = today.year
    overdue_days = (today - deadline_date(year)).days
    if overdue_days >= 1:
        week = (overdue_days - 1) // 7
        for base in _unsubmitted(year):
            recipients = list(
                users_with(
                    base.institution_id, Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN, Role.HOST_REVIEWER
                )
            )
            recipients += list(users_with(base.approving_authority_id, Role.AUTHORITY_REVIEWER))
            yield DueReminder(
                kind="plan_overdue",
                object_type="bases.base",
                object_id=f"{base.pk}-{year}",
                step=f"overdue-week-{week}",
                title=_("%(b)s 的 %(y)d 年度计划已逾期未报送") % {"b": base.name, "y": year},
                body=_("报送截止日期为 %(d)s。逾期报送的计划将被标记为逾期。") % {"d": deadline_date(year)},
                url=reverse("plans:list"),
                recipients=recipients,
            )
