from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for, restrict
from audit.selectors import object_history

from .models import Assessment, Inspection, InspectionRound, Rectification, RectificationEvidence
from .permissions import reads_inspection_record


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


def round_next_step(rnd, *, unconfirmed: int) -> str:
    """Who acts next on an inspection round (R-25), in words for its page's status panel; `unconfirmed` is the
    number of its inspections still waiting for a result or its confirmation."""
    if rnd.state == InspectionRound.State.PUBLISHED:
        return _("检查结果已公布，无需再办理")
    if unconfirmed:
        return _("还有 %(n)d 个基地的检查结论未确认，全部确认后由%(a)s公布检查结果") % {
            "n": unconfirmed,
            "a": rnd.authority.name,
        }
    return _("由%(a)s公布检查结果") % {"a": rnd.authority.name}


def round_history(rnd) -> list:
    """Return a round's history: only authorities see a round, and they read all of it."""
    return object_history(rnd)


def inspection_next_step(insp) -> str:
    """Who acts next on an inspection (R-25, R-26), in words for its page's status panel."""
    authority = insp.round.authority.name
    if insp.state == Inspection.State.PLANNED:
        return _("由%(a)s的检查人员录入检查结果") % {"a": authority}
    if insp.state == Inspection.State.SCORED:
        return _("由%(a)s的审批人确认检查结论") % {"a": authority}
    if insp.round.state == InspectionRound.State.OPEN:
        return _("结论已确认，待%(a)s公布检查结果") % {"a": authority}
    return _("检查结果已公布，无需再办理")


def inspection_history(*, user, inspection) -> list:
    """Return an inspection's history for those who read its internal record (it names the inspectors); the
    inspected base reads the result on the page, not the history."""
    if not reads_inspection_record(user, inspection):
        return []
    return object_history(inspection)


def rectifications_visible_to(user):
    return restrict(
        Rectification.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def rectification_next_step(rect, *, today=None) -> str:
    """Who acts next on a rectification (R-27, R-28), in words for its page's status panel."""
    S = Rectification.State
    authority = rect.base.approving_authority.name
    if rect.state == S.OPEN and (today or timezone.localdate()) <= rect.deadline:
        return _("由%(b)s在%(d)s前报送整改情况") % {"b": rect.base.name, "d": date_format(rect.deadline)}
    if rect.state == S.OPEN:
        return _("整改期限已过，由%(a)s的审核员决定是否提出撤销基地资格") % {"a": authority}
    if rect.state == S.REPLIED:
        return _("由%(a)s验收整改情况") % {"a": authority}
    if rect.state == S.REVOCATION_PROPOSED:
        return _("由%(a)s的审批人决定是否撤销基地资格") % {"a": authority}
    if rect.state == S.CLOSED:
        return _("整改完成，无需再办理")
    return _("基地资格已撤销，无需再办理")


def rectification_history(rect) -> list:
    """Return a rectification's history: whoever may see it reads all of it (its comments are the reasons the
    base is given)."""
    return object_history(rect)


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
