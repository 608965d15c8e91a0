from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for, restrict
from accounts.models import Role
from kit.todos import TodoItem

from .models import Assessment, Inspection, InspectionRound, Rectification, RectificationEvidence


def rounds_visible_to(user):
    actor = actor_for(user)
    if actor.is_provincial:
        return InspectionRound.objects.all()
    return InspectionRound.objects.filter(authority_id__in=actor.authority_ids)


def inspections_visible_to(user):
    """The inspecting authority, the base's approving authority, the province, and the base itself."""
    actor = actor_for(user)
    if actor.user_id is None:
        return Inspection.objects.none()
    if actor.is_provincial:
        return Inspection.objects.all()
    q = Q(pk__in=[])
    if actor.authority_ids:
        q |= Q(round__authority_id__in=actor.authority_ids) | Q(
            base__approving_authority_id__in=actor.authority_ids
        )
    if actor.institution_ids:
        q |= Q(base__institution_id__in=actor.institution_ids)
    return Inspection.objects.filter(q)


def rectifications_visible_to(user):
    return restrict(
        Rectification.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def rectification_evidence_for(*, user, rectification_id, evidence_id):
    """Return one evidence file of a rectification the user may see (its authority, the province, the base's
    own institution), or None."""
    return (
        RectificationEvidence.objects.filter(
            pk=evidence_id,
            rectification_id=rectification_id,
            rectification__in=rectifications_visible_to(user),
        )
        .select_related("rectification")
        .first()
    )


def assessments_visible_to(user):
    return restrict(
        Assessment.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def todos_for_user(user, actor):
    items = []
    reviewer_orgs = actor.orgs_with(Role.AUTHORITY_REVIEWER)
    approver_orgs = actor.orgs_with(Role.AUTHORITY_APPROVER)
    if reviewer_orgs:
        for i in Inspection.objects.filter(
            round__authority_id__in=reviewer_orgs, state=Inspection.State.PLANNED
        ).select_related("base", "round")[:50]:
            items.append(
                TodoItem(
                    title=_("待检查：%(b)s（%(r)s）") % {"b": i.base.name, "r": i.round.title},
                    url=reverse("inspections:inspection", args=[i.pk]),
                    category="inspection",
                )
            )
        for r in Rectification.objects.filter(
            base__approving_authority_id__in=reviewer_orgs, state=Rectification.State.REPLIED
        ).select_related("base"):
            items.append(
                TodoItem(
                    title=_("整改待验收：%(b)s") % {"b": r.base.name},
                    url=reverse("inspections:rectification", args=[r.pk]),
                    category="rectification",
                )
            )
    if approver_orgs:
        for i in Inspection.objects.filter(
            round__authority_id__in=approver_orgs, state=Inspection.State.SCORED
        ).select_related("base"):
            items.append(
                TodoItem(
                    title=_("检查结论待确认：%(b)s") % {"b": i.base.name},
                    url=reverse("inspections:inspection", args=[i.pk]),
                    category="inspection",
                )
            )
        for r in Rectification.objects.filter(
            base__approving_authority_id__in=approver_orgs, state=Rectification.State.REVOCATION_PROPOSED
        ).select_related("base"):
            items.append(
                TodoItem(
                    title=_("拟撤销基地资格待决定：%(b)s") % {"b": r.base.name},
                    url=reverse("inspections:rectification", args=[r.pk]),
                    category="rectification",
                )
            )
    staff_orgs = actor.orgs_with(Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
    if staff_orgs:
        for r in Rectification.objects.filter(
            base__institution_id__in=staff_orgs, state=Rectification.State.OPEN
        ).select_related("base"):
            items.append(
                TodoItem(
                    title=_("整改：%(b)s") % {"b": r.base.name},
                    url=reverse("inspections:rectification", args=[r.pk]),
                    due=r.deadline,
                    category="rectification",
                )
            )
    return items
