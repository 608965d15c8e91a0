from django.db.models import Q

from accounts.jurisdiction import actor_for, restrict

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
