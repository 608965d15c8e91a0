"""我的待办 of the recognition workflow: one source per role, each item linking to the application, the
expert assignment or the batch it is about. Each source runs a fixed number of queries."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from kit.text import colon
from kit.todos import TodoItem

from .models import Application, Batch, ExpertAssignment, Objection
from .rules import bar_reason
from .selectors import batches_open_for_institution

APPLICANT_ROLES = (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)
S = Application.State

GROUPS = [
    (
        "my_application",
        gettext_lazy("我的申报"),
        gettext_lazy("草稿和退回补正的申报，以及已提交申报的进度和下一步由谁办理。"),
        10,
        lambda actor: bool(actor.orgs_with(*APPLICANT_ROLES)),
    ),
    ("batch", gettext_lazy("可申报的批次"), gettext_lazy("正在接受申报的批次。"), 15, None),
    (
        "application",
        gettext_lazy("申报审核"),
        gettext_lazy("待推荐、待受理、待审核、待作出认定决定和公示期满待公布的申报。"),
        20,
        lambda actor: bool(actor.orgs_with(Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)),
    ),
    (
        "expert",
        gettext_lazy("专家评审"),
        gettext_lazy("分配给您的申报：先声明有无利益冲突，再评分。"),
        25,
        lambda actor: actor.is_expert,
    ),
]

REVIEWER_STATES = {
    S.SUBMITTED: gettext_lazy("待受理"),
    S.RECOMMENDED: gettext_lazy("已推荐，待受理"),
    S.FORMAL_REVIEW: gettext_lazy("待形式审核"),
    S.DEMONSTRATION: gettext_lazy("专家评审中"),
    S.SITE_VISIT: gettext_lazy("待实地考察"),
    S.PANEL_REVIEW: gettext_lazy("待评审会评审"),
    # The approver's (see _approver_todos); listed here for the applicant's progress.
    S.DECISION: gettext_lazy("待认定"),
    S.PUBLICITY: gettext_lazy("公示中"),
}


def _detail_url(app) -> str:
    return reverse("applications:detail", args=[app.pk])


# --- the applicant ----------------------------------------------------------------------------------------


def _applicant_todos(user, actor):
    orgs = actor.orgs_with(*APPLICANT_ROLES)
    if not orgs:
        return []
    apps = Application.objects.filter(
        institution_id__in=orgs, state__in=[S.DRAFT, S.RETURNED]
    ).select_related("batch")
    return [
        TodoItem(
            title=(_("退回补正：%(a)s") if app.state == S.RETURNED else _("草稿待提交：%(a)s")) % {"a": app},
            url=_detail_url(app),
            detail=app.batch.title,
            due=timezone.localtime(app.batch.closes_at).date(),
            category="my_application",
        )
        for app in apps
    ]


def next_step(app) -> str:
    """Who acts next on an application, in words (the applicant's 我的待办 and the object page's panel)."""
    authority = app.batch.approving_authority.name
    if app.state in (S.DRAFT, S.RETURNED):
        return _("由%(i)s填写并提交") % {"i": app.institution.name}
    if app.state in (S.RECOGNISED, S.REJECTED, S.DECLINED, S.WITHDRAWN):
        return _("已办结，无需再办理")
    if app.state == S.SUBMITTED and app.batch.requires_recommendation:
        recommender = app.recommending_authority.name if app.recommending_authority_id else _("推荐单位")
        return _("等待%(r)s推荐") % {"r": recommender}
    if app.state in (S.SUBMITTED, S.RECOMMENDED):
        return _("等待%(a)s受理") % {"a": authority}
    if app.state == S.FORMAL_REVIEW:
        return _("%(a)s形式审核中") % {"a": authority}
    if app.state == S.DEMONSTRATION:
        return _("评审专家评分中，由%(a)s组织") % {"a": authority}
    if app.state == S.SITE_VISIT:
        return _("等待%(a)s实地考察") % {"a": authority}
    if app.state == S.PANEL_REVIEW:
        return _("等待%(a)s组织评审会评审") % {"a": authority}
    if app.state == S.DECISION:
        return _("等待%(a)s作出认定决定") % {"a": authority}
    if app.publicity_ends_on:
        return _("公示至%(d)s，期满后由%(a)s公布") % {"d": date_format(app.publicity_ends_on), "a": authority}
    return _("公示中，期满后由%(a)s公布") % {"a": authority}


def _applicant_progress(user, actor):
    """The applicant's submitted applications still in the workflow, each with its state and who acts next."""
    orgs = actor.orgs_with(*APPLICANT_ROLES)
    if not orgs:
        return []
    apps = Application.objects.filter(
        institution_id__in=orgs, state__in=list(REVIEWER_STATES)
    ).select_related("batch__approving_authority", "recommending_authority")
    return [
        TodoItem(
            title=_("%(s)s：%(a)s") % {"s": app.get_state_display(), "a": app},
            url=_detail_url(app),
            detail=app.batch.title,
            category="my_application",
            next_step=next_step(app),
        )
        for app in apps
    ]


def _open_batch_todos(user, actor):
    """A new institution (no application yet, not barred) is told which open batches it may apply in."""
    orgs = actor.orgs_with(*APPLICANT_ROLES)
    if not orgs:
        return []
    applied = set(
        Application.objects.filter(institution_id__in=orgs).values_list("institution_id", flat=True)
    )
    items = []
    for membership in actor.memberships:
        institution = membership.organization
        if institution.pk not in orgs or institution.pk in applied or institution.kind != "institution":
            continue
        applied.add(institution.pk)  # an institution with two roles is listed once
        if bar_reason(institution):
            continue
        for batch in batches_open_for_institution(institution):
            items.append(
                TodoItem(
                    title=_("在开放批次中申报：%(b)s") % {"b": batch.title},
                    url=reverse("applications:batch", args=[batch.pk]),
                    detail=_("%(a)s · %(l)s · 以“%(i)s”名义")
                    % {
                        "a": batch.approving_authority.name,
                        "l": batch.get_level_display(),
                        "i": institution.name,
                    },
                    due=timezone.localtime(batch.closes_at).date(),
                    category="batch",
                )
            )
    return items


# --- the authority ----------------------------------------------------------------------------------------


def _reviewer_detail(app) -> str | None:
    """What the reviewer should know of an application, or None when nothing waits for them yet."""
    if app.state == S.SUBMITTED and app.batch.requires_recommendation:
        return None  # the recommender acts first
    if app.state == S.DECISION:
        return None  # the approver acts
    detail = app.institution.name + (_("（优先）") if app.priority else "")
    if app.state != S.PUBLICITY:
        return detail
    if app.open_objections:
        return detail + _("，%(n)d 条异议待处理") % {"n": app.open_objections}
    if app.publicity_ends_on and timezone.localdate() > app.publicity_ends_on:
        return detail + _("，公示期满，可以公布")
    return None


def _reviewer_todos(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER)
    if not orgs:
        return []
    apps = (
        Application.objects.filter(batch__approving_authority_id__in=orgs, state__in=list(REVIEWER_STATES))
        .select_related("batch", "institution")
        .annotate(open_objections=Count("objections", filter=Q(objections__status=Objection.Status.OPEN)))
    )
    items = []
    for app in apps:
        detail = _reviewer_detail(app)
        if detail is not None:
            items.append(
                TodoItem(
                    title=f"{REVIEWER_STATES[app.state]}{colon()}{app}",
                    url=_detail_url(app),
                    detail=detail,
                    category="application",
                )
            )
    return items


def _institution_todos(apps, title):
    return [
        TodoItem(
            title=title % {"a": app},
            url=_detail_url(app),
            detail=app.institution.name,
            category="application",
        )
        for app in apps.select_related("institution")
    ]


def _approver_todos(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_APPROVER)
    if not orgs:
        return []
    apps = Application.objects.filter(batch__approving_authority_id__in=orgs, state=S.DECISION)
    return _institution_todos(apps, _("待作出认定决定：%(a)s"))


def _panel_todos(user, actor):
    """A batch with applications waiting for the panel: the reviewer records the meeting on its panel sheet."""
    orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER)
    if not orgs:
        return []
    batches = (
        Batch.objects.filter(approving_authority_id__in=orgs, applications__state=S.PANEL_REVIEW)
        .annotate(waiting=Count("applications", filter=Q(applications__state=S.PANEL_REVIEW)))
        .order_by("closes_at", "pk")
    )
    return [
        TodoItem(
            title=_("评审汇总表待录入评审会结论：%(b)s") % {"b": batch.title},
            url=reverse("applications:panel", args=[batch.pk]),
            detail=_("%(n)d 项申报待评审会评审") % {"n": batch.waiting},
            category="application",
        )
        for batch in batches.distinct()
    ]


def _recommender_todos(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    if not orgs:
        return []
    apps = Application.objects.filter(
        recommending_authority_id__in=orgs, state=S.SUBMITTED, batch__requires_recommendation=True
    )
    return _institution_todos(apps, _("待推荐：%(a)s"))


# --- the expert -------------------------------------------------------------------------------------------


def _expert_todos(user, actor):
    if not actor.is_expert:
        return []
    assignments = ExpertAssignment.objects.filter(
        expert=user, status__in=["assigned", "accepted"], application__state="demonstration"
    ).select_related("application")
    return [
        TodoItem(
            title=(_("待声明利益冲突：%(a)s") if a.status == "assigned" else _("待评分：%(a)s"))
            % {"a": a.application},
            url=reverse("applications:assignment", args=[a.pk]),
            due=a.due_on,
            category="expert",
        )
        for a in assignments
    ]


TASK_SOURCES = [
    _applicant_todos,
    _applicant_progress,
    _open_batch_todos,
    _reviewer_todos,
    _approver_todos,
    _panel_todos,
    _recommender_todos,
    _expert_todos,
]


def todos_for_user(user, actor):
    """What waits for the user in the recognition workflow (我的待办), one source per role."""
    return [item for source in TASK_SOURCES for item in source(user, actor)]
