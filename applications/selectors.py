"""Every read of batches and applications for a user. Objects outside these selectors answer 404."""

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from accounts.jurisdiction import actor_for
from accounts.models import Organization
from audit.models import AuditEvent

from .models import Application, Batch, ExpertAssignment
from .permissions import can_read_expert_review


def visible_to(user):
    """Applications the user may see: their institution's own; for authority staff, those of their batches
    (and, for a recommending authority, those it must recommend), never drafts; for the provincial HR
    department all but drafts; for experts, those assigned to them, except where they declared a conflict of
    interest: from that moment they see nothing more of it (form, staff, attachments, history, export)."""
    actor = actor_for(user)
    if actor.user_id is None:
        return Application.objects.none()
    q = Q(pk__in=[])
    if actor.institution_ids:
        q |= Q(institution_id__in=actor.institution_ids)
    not_draft = ~Q(state=Application.State.DRAFT)
    if actor.is_provincial:
        q |= not_draft
    elif actor.authority_ids:
        q |= not_draft & (
            Q(batch__approving_authority_id__in=actor.authority_ids)
            | Q(recommending_authority_id__in=actor.authority_ids)
        )
    if actor.is_expert:
        assigned = ExpertAssignment.objects.filter(expert_id=actor.user_id).exclude(
            status=ExpertAssignment.Status.CONFLICT
        )
        q |= Q(pk__in=assigned.values("application_id"))
    return Application.objects.filter(q)


def application_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = visible_to(user).select_related("batch__approving_authority", "institution", "region__parent")
    if filters.get("batch"):
        qs = qs.filter(batch_id=filters["batch"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("level"):
        qs = qs.filter(batch__level=filters["level"])
    if filters.get("region"):
        code = str(filters["region"])
        qs = qs.filter(Q(region_id=code) | Q(region__parent_id=code))
    if filters.get("priority") in (True, "1", "true", "True"):
        qs = qs.filter(priority=True)
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(Q(base_name__icontains=text) | Q(institution__name__icontains=text))
    return qs.order_by("-priority", "-updated_at", "-id")


def application_detail(*, user, pk):
    return (
        visible_to(user)
        .select_related(
            "batch__approving_authority", "institution__region", "region__parent", "recommending_authority"
        )
        .prefetch_related("staff", "attachments", "section_comments__author", "versions")
        .filter(pk=pk)
        .first()
    )


def assignments_for_authority(application):
    """Every assignment with its scores, and the average of submitted totals, for the authority."""
    assignments = list(application.assignments.select_related("expert").order_by("assigned_at", "id"))
    submitted = [a.total for a in assignments if a.status == ExpertAssignment.Status.SUBMITTED]
    average = sum(submitted) / len(submitted) if submitted else None
    return assignments, average


def assignment_for_expert(*, user, pk):
    return (
        ExpertAssignment.objects.select_related(
            "application__batch", "application__institution", "application__region"
        )
        .filter(pk=pk, expert=user)
        .first()
    )


def peer_scores_for_expert(assignment):
    """Experts see each other's scores only once their own is submitted."""
    if assignment.status != ExpertAssignment.Status.SUBMITTED:
        return None
    return list(
        ExpertAssignment.objects.filter(
            application_id=assignment.application_id, status=ExpertAssignment.Status.SUBMITTED
        )
        .exclude(pk=assignment.pk)
        .select_related("expert")
    )


def expert_assignment_list(*, user):
    return (
        ExpertAssignment.objects.filter(expert=user)
        .select_related("application__batch", "application__institution")
        .order_by("-assigned_at")
    )


# --- batches --------------------------------------------------------------------------------------------


def batch_open_to(batch: Batch, institution: Organization, at=None) -> bool:
    """Whether an institution may apply in a batch now: the window is open and the institution is within the
    authority's area (provincial and industry batches: the whole province)."""
    if not batch.is_open(at):
        return False
    authority = batch.approving_authority
    if batch.level == "municipal":
        return institution.region.prefecture == authority.region.prefecture
    if batch.level == "county":
        return institution.region_id == authority.region_id
    return True


def batches_open_for_institution(institution, at=None):
    now = at or timezone.now()
    candidates = Batch.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related(
        "approving_authority__region__parent"
    )
    return [b for b in candidates if batch_open_to(b, institution, now)]


def batch_list(*, user):
    """Authority staff see their authorities' batches (provincial: all); institutions see the open ones."""
    actor = actor_for(user)
    qs = Batch.objects.select_related("approving_authority").annotate(application_count=Count("applications"))
    if actor.is_provincial:
        return qs.order_by("-opens_at")
    if actor.authority_ids:
        return qs.filter(approving_authority_id__in=actor.authority_ids).order_by("-opens_at")
    if actor.institution_ids:
        ids = {
            b.pk
            for org in Organization.objects.filter(pk__in=actor.institution_ids)
            for b in batches_open_for_institution(org)
        }
        return qs.filter(pk__in=ids).order_by("closes_at")
    return qs.none()


def batch_detail(*, user, pk):
    return batch_list(user=user).filter(pk=pk).first()


# The expert review's events: who was assigned, each declaration (word for word) and each score.
EXPERT_EVENTS = (
    "application.expert_assigned",
    "expert.no_conflict_declared",
    "expert.conflict_declared",
    "expert.scores_submitted",
)
# The events whose comment is addressed to the applicant: its own steps, and the authority's steps that tell it
# (the ones effects.notify_transition sends to the applicants). Other comments are the authority's internal ones.
APPLICANT_COMMENTS = frozenset(
    {
        "application.created",
        "application.edited",
        "application.staff_added",
        "application.staff_removed",
        "application.attachment_uploaded",
        "application.attachment_removed",
        "application.submit",
        "application.withdraw",
        "application.start_review",
        "application.pass_formal_review",
        "application.return",
        "application.reject",
        "application.approve",
        "application.decline",
        "application.publish",
    }
)


def application_history(*, user, application) -> list:
    """Return the events of an application's history that `user` may read, oldest first.

    The approving authority and the province read all of it. Everyone else who may see the application (the
    applicant, a recommending authority, an assigned expert) reads it without the expert review and without the
    authority's internal comments; an expert also reads their own assignment, declaration and score. The page
    and the API both call this, so the rule is written once."""
    events = AuditEvent.objects.filter(
        object_type="applications.application", object_id=str(application.pk)
    ).order_by("created_at", "id")
    if can_read_expert_review(user, application):
        return list(events)
    own = Q(actor_id=user.pk)
    if actor_for(user).is_expert:
        own |= Q(action="application.expert_assigned", comment=user.get_username())
    events = events.exclude(Q(action__in=EXPERT_EVENTS) & ~own).annotate(
        own=ExpressionWrapper(own, output_field=BooleanField())
    )
    shown = list(events)
    for event in shown:
        if not (event.own or event.action in APPLICANT_COMMENTS):
            # Only blanked in memory for this reader: the trail itself is append-only and never saved back.
            event.comment = ""
    return shown


def score_summary(application):
    return application.assignments.filter(status=ExpertAssignment.Status.SUBMITTED).aggregate(
        avg=Avg("total"), n=Count("id")
    )
