"""我的待办 of the bases: change requests to decide or to correct (R-34) and misconduct reports to triage
(R-29). Each item links to the request or the report; each source runs one query."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from kit.todos import TodoItem

from .models import ChangeRequest, MisconductReport

AUTHORITY_ROLES = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
BASE_STAFF_ROLES = (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)

GROUPS = [
    (
        "change_request",
        gettext_lazy("基地信息变更"),
        gettext_lazy("待审批的变更申请；退回修改的本基地变更申请。"),
        40,
        lambda actor: bool(actor.orgs_with(*AUTHORITY_ROLES)),
    ),
    (
        "report",
        gettext_lazy("举报处理"),
        gettext_lazy("公众举报的基地违规行为，待处理（不予立案或转抽查）。"),
        45,
        lambda actor: bool(actor.orgs_with(*AUTHORITY_ROLES)),
    ),
]


def _change_url(cr) -> str:
    return reverse("bases:change", args=[cr.pk])


def _change_requests_to_decide(user, actor):
    """Submitted change requests, for the approving authority's reviewers (return) and approvers (approve)."""
    orgs = actor.orgs_with(*AUTHORITY_ROLES)
    if not orgs:
        return []
    approves = actor.orgs_with(Role.AUTHORITY_APPROVER)
    requests = ChangeRequest.objects.filter(
        base__approving_authority_id__in=orgs, state=ChangeRequest.State.SUBMITTED
    ).select_related("base__institution")
    return [
        TodoItem(
            title=(
                _("变更申请待审批：%(b)s")
                if cr.base.approving_authority_id in approves
                else _("变更申请待审核：%(b)s")
            )
            % {"b": cr.base.name},
            url=_change_url(cr),
            detail=cr.base.institution.name + (_("，涉及提高收费标准") if cr.fee_increase else ""),
            category="change_request",
        )
        for cr in requests
    ]


def _change_requests_returned(user, actor):
    orgs = actor.orgs_with(*BASE_STAFF_ROLES)
    if not orgs:
        return []
    requests = ChangeRequest.objects.filter(
        base__institution_id__in=orgs, state=ChangeRequest.State.RETURNED
    ).select_related("base")
    return [
        TodoItem(
            title=_("变更申请被退回，待修改后重新提交：%(b)s") % {"b": cr.base.name},
            url=_change_url(cr),
            detail=cr.decision_comment,
            category="change_request",
        )
        for cr in requests
    ]


def _reports_to_triage(user, actor):
    """R-29: open misconduct reports, for the reviewers and approvers of the reported base's authority."""
    orgs = actor.orgs_with(*AUTHORITY_ROLES)
    if not orgs:
        return []
    reports = MisconductReport.objects.filter(
        base__approving_authority_id__in=orgs, status=MisconductReport.Status.OPEN
    ).select_related("base")
    return [
        TodoItem(
            title=_("举报待处理：%(b)s") % {"b": r.base.name},
            url=reverse("bases:report", args=[r.pk]),
            detail=_("%(c)s，%(d)s收到")
            % {"c": r.get_category_display(), "d": date_format(timezone.localtime(r.created_at).date())},
            category="report",
        )
        for r in reports
    ]


TASK_SOURCES = [_change_requests_to_decide, _change_requests_returned, _reports_to_triage]


def todos_for_user(user, actor):
    """What waits for the user among the bases' change requests and misconduct reports (我的待办)."""
    return [item for source in TASK_SOURCES for item in source(user, actor)]
