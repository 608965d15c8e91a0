"""我的待办 of supervision (R-25..R-28): inspections to score or confirm, rounds to publish, self-assessments,
assessments to confirm, rectifications to reply to, check or decide. Each item links to the inspection, the
round, the assessment or the rectification; each source runs a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from kit.todos import TodoItem

from .models import Assessment, Inspection, InspectionRound, Rectification, SelfAssessment

AUTHORITY_ROLES = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
BASE_STAFF_ROLES = (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)

GROUPS = [
    (
        "inspection",
        gettext_lazy("检查考核"),
        gettext_lazy("待录入结果和待确认结论的检查、结论已全部确认待公布的检查批次、待提交的自查。"),
        50,
        lambda actor: bool(actor.orgs_with(*AUTHORITY_ROLES)),
    ),
    (
        "assessment",
        gettext_lazy("动态评估"),
        gettext_lazy("建议等次待确认的基地年度评估。"),
        55,
        lambda actor: bool(actor.orgs_with(Role.AUTHORITY_APPROVER)),
    ),
    (
        "rectification",
        gettext_lazy("整改"),
        gettext_lazy("待报送的整改情况、待验收的整改、逾期未整改拟撤销资格的决定。"),
        60,
        lambda actor: bool(actor.orgs_with(*AUTHORITY_ROLES)),
    ),
]


def _inspection_url(inspection) -> str:
    return reverse("inspections:inspection", args=[inspection.pk])


def _rectification_url(rectification) -> str:
    return reverse("inspections:rectification", args=[rectification.pk])


def _is_provincial(actor, role) -> bool:
    return any(m.organization.kind == "provincial_hr" and m.role == role for m in actor.memberships)


def _inspections_to_score(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER)
    if not orgs:
        return []
    inspections = Inspection.objects.filter(round__authority_id__in=orgs, state=Inspection.State.PLANNED)
    return [
        TodoItem(
            title=_("待检查：%(b)s（%(r)s）") % {"b": i.base.name, "r": i.round.title},
            url=_inspection_url(i),
            category="inspection",
        )
        for i in inspections.select_related("base", "round")
    ]


def _inspections_to_confirm(user, actor):
    orgs = actor.orgs_with(Role.AUTHORITY_APPROVER)
    if not orgs:
        return []
    inspections = Inspection.objects.filter(round__authority_id__in=orgs, state=Inspection.State.SCORED)
    return [
        TodoItem(
            title=_("检查结论待确认：%(b)s") % {"b": i.base.name},
            url=_inspection_url(i),
            detail=f"{i.round.title} · {i.get_result_display()}",
            category="inspection",
        )
        for i in inspections.select_related("base", "round")
    ]


def _rounds_to_publish(user, actor):
    """R-25: a round whose every conclusion is confirmed waits for its results to be published."""
    orgs = actor.orgs_with(*AUTHORITY_ROLES)
    if not orgs:
        return []
    rounds = (
        InspectionRound.objects.filter(authority_id__in=orgs, state=InspectionRound.State.OPEN)
        .annotate(
            n=Count("inspections"),
            pending=Count("inspections", filter=~Q(inspections__state=Inspection.State.CONFIRMED)),
        )
        .filter(n__gt=0, pending=0)
    )
    return [
        TodoItem(
            title=_("检查结果待公布：%(r)s") % {"r": r.title},
            url=reverse("inspections:round", args=[r.pk]),
            detail=_("%(n)d 个基地的结论已全部确认") % {"n": r.n},
            category="inspection",
        )
        for r in rounds
    ]


def _self_assessments_to_file(user, actor):
    """Before a periodic inspection the base may file its self-assessment (R-26)."""
    orgs = actor.orgs_with(*BASE_STAFF_ROLES)
    if not orgs:
        return []
    filed = SelfAssessment.objects.filter(round_id=OuterRef("round_id"), base_id=OuterRef("base_id"))
    inspections = (
        Inspection.objects.filter(
            base__institution_id__in=orgs,
            state=Inspection.State.PLANNED,
            round__kind=InspectionRound.Kind.PERIODIC,
            round__state=InspectionRound.State.OPEN,
        )
        .exclude(Exists(filed))
        .select_related("base", "round")
    )
    return [
        TodoItem(
            title=_("提交自查：%(b)s（%(r)s）") % {"b": i.base.name, "r": i.round.title},
            url=reverse("inspections:self_assessment", args=[i.round_id, i.base_id]),
            category="inspection",
        )
        for i in inspections
    ]


def _assessments_to_confirm(user, actor):
    """R-27: proposed ratings, for the approvers of the base's authority (the province's: every base)."""
    orgs = actor.orgs_with(Role.AUTHORITY_APPROVER)
    if not orgs:
        return []
    assessments = Assessment.objects.filter(state=Assessment.State.PROPOSED)
    if not _is_provincial(actor, Role.AUTHORITY_APPROVER):
        assessments = assessments.filter(base__approving_authority_id__in=orgs)
    return [
        TodoItem(
            title=_("评估等次待确认：%(b)s %(y)d 年度") % {"b": a.base.name, "y": a.year},
            url=reverse("inspections:assessments") + f"?year={a.year}#assessment-{a.pk}",
            detail=_("建议等次：%(r)s") % {"r": a.get_proposed_rating_display()},
            category="assessment",
        )
        for a in assessments.select_related("base").order_by("base__name")
    ]


def _rectifications_for_authority(user, actor):
    reviewer_orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER)
    approver_orgs = actor.orgs_with(Role.AUTHORITY_APPROVER)
    if not (reviewer_orgs or approver_orgs):
        return []
    wanted = Q(base__approving_authority_id__in=reviewer_orgs, state=Rectification.State.REPLIED) | Q(
        base__approving_authority_id__in=approver_orgs, state=Rectification.State.REVOCATION_PROPOSED
    )
    items = []
    for r in Rectification.objects.filter(wanted).select_related("base"):
        replied = r.state == Rectification.State.REPLIED
        items.append(
            TodoItem(
                title=(_("整改待验收：%(b)s") if replied else _("拟撤销基地资格待决定：%(b)s"))
                % {"b": r.base.name},
                url=_rectification_url(r),
                category="rectification",
            )
        )
    return items


def _rectifications_to_reply(user, actor):
    orgs = actor.orgs_with(*BASE_STAFF_ROLES)
    if not orgs:
        return []
    rectifications = Rectification.objects.filter(
        base__institution_id__in=orgs, state=Rectification.State.OPEN
    )
    return [
        TodoItem(
            title=_("整改：%(b)s") % {"b": r.base.name},
            url=_rectification_url(r),
            due=r.deadline,
            category="rectification",
        )
        for r in rectifications.select_related("base")
    ]


TASK_SOURCES = [
    _inspections_to_score,
    _inspections_to_confirm,
    _rounds_to_publish,
    _self_assessments_to_file,
    _assessments_to_confirm,
    _rectifications_for_authority,
    _rectifications_to_reply,
]


def todos_for_user(user, actor):
    """What waits for the user in supervision (我的待办)."""
    return [item for source in TASK_SOURCES for item in source(user, actor)]
