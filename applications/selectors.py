"""Every read of batches and applications for a user. Objects outside these selectors answer 404."""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from accounts.jurisdiction import actor_for
from accounts.models import Membership, Organization, Role, User
from audit.models import AuditEvent

from .models import Application, Batch, ExpertAssignment, PanelResolution, SiteVisit
from .permissions import can_read_expert_review, can_read_panel
from .rules import article8_checklist


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
            status__in=ExpertAssignment.NOT_SERVING
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
    """Every assignment with its scores, and the average of submitted totals, for the authority (which sees the
    scores as they come, with their spread: see `score_spread`)."""
    assignments = list(application.assignments.select_related("expert").order_by("assigned_at", "id"))
    submitted = [a.total for a in assignments if a.status == ExpertAssignment.Status.SUBMITTED]
    average = sum(submitted) / len(submitted) if submitted else None
    return assignments, average


def score_spread(assignments) -> tuple | None:
    """Return the lowest and highest submitted totals, or None before any score."""
    totals = [a.total for a in assignments if a.status == ExpertAssignment.Status.SUBMITTED]
    return (min(totals), max(totals)) if totals else None


def assignment_for_expert(*, user, pk):
    return (
        ExpertAssignment.objects.select_related(
            "application__batch", "application__institution", "application__region"
        )
        .filter(pk=pk, expert=user)
        .first()
    )


def peer_scores_for_expert(assignment):
    """Scores stay blind between experts until every serving expert (all but the recused) has scored: return the
    peers' submitted assignments then, else None."""
    if assignment.status != ExpertAssignment.Status.SUBMITTED:
        return None
    serving = list(
        ExpertAssignment.objects.filter(application_id=assignment.application_id)
        .exclude(status__in=ExpertAssignment.NOT_SERVING)
        .exclude(pk=assignment.pk)
        .select_related("expert")
    )
    if any(a.status != ExpertAssignment.Status.SUBMITTED for a in serving):
        return None
    return serving


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
    "application.experts_drawn",
    "application.expert_chosen",
    "expert.no_conflict_declared",
    "expert.conflict_declared",
    "expert.declined",
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


# --- the panel sheet (评审汇总表) ----------------------------------------------------------------------------

# The states of an application that passed the site visit and went before the panel (or was decided after it).
PANEL_STATES = (
    Application.State.PANEL_REVIEW,
    Application.State.DECISION,
    Application.State.PUBLICITY,
    Application.State.RECOGNISED,
    Application.State.DECLINED,
)


@dataclass(frozen=True)
class PanelRow:
    """One application on a batch's 评审汇总表."""

    rank: int
    application: Application
    mean: object  # Decimal, or None before any score
    low: object
    high: object
    scored: int
    visit: SiteVisit
    checklist_met: int
    checklist_total: int
    resolution: PanelResolution | None

    @property
    def spread(self):
        return None if self.low is None else self.high - self.low

    @property
    def awaits_resolution(self) -> bool:
        return self.application.state == Application.State.PANEL_REVIEW


def panel_batch(*, user, pk):
    """Return the batch whose panel sheet `user` may read (its authority's reviewers and approvers, the
    province), or None (404)."""
    batch = Batch.objects.select_related("approving_authority").filter(pk=pk).first()
    return batch if batch is not None and can_read_panel(user, batch) else None


def panel_sheet(*, user, batch) -> list[PanelRow]:
    """Return the batch's applications that passed the site visit, ranked: the experts' mean score first
    (highest first, unscored last), then the R-13 priority, then the lowest score. A fixed number of queries
    whatever the number of rows."""
    submitted = Q(assignments__status=ExpertAssignment.Status.SUBMITTED)
    apps = (
        visible_to(user)
        .filter(batch=batch, state__in=PANEL_STATES)
        .filter(Exists(SiteVisit.objects.filter(application=OuterRef("pk"), passed=True)))
        .select_related("institution", "batch", "region")
        .prefetch_related(
            "staff",
            "attachments",
            Prefetch("site_visits", queryset=SiteVisit.objects.order_by("-visit_date", "-id")),
            Prefetch(
                "panel_resolutions",
                queryset=PanelResolution.objects.select_related("meeting").order_by("-id"),
            ),
        )
        .annotate(
            score_mean=Avg("assignments__total", filter=submitted),
            score_low=Min("assignments__total", filter=submitted),
            score_high=Max("assignments__total", filter=submitted),
            scored=Count("assignments", filter=submitted),
        )
    )

    def order(app):
        return (
            app.score_mean is None,
            -(app.score_mean or 0),
            not app.priority,
            -(app.score_low or 0),
            app.pk,
        )

    rows = []
    for rank, app in enumerate(sorted(apps, key=order), start=1):
        checklist = article8_checklist(app)
        resolutions = list(app.panel_resolutions.all())
        rows.append(
            PanelRow(
                rank=rank,
                application=app,
                mean=app.score_mean,
                low=app.score_low,
                high=app.score_high,
                scored=app.scored,
                visit=next(iter(app.site_visits.all()), None),
                checklist_met=sum(1 for c in checklist if c.met),
                checklist_total=len(checklist),
                resolution=resolutions[0] if resolutions else None,
            )
        )
    return rows


# --- the expert pool -------------------------------------------------------------------------------------


def pools_open_to(authority_ids) -> Q:
    """The expert pools authorities draw from: their own (the pools under them) and the provincial pools, open to
    all (a pool under the provincial HR department, or under no authority)."""
    return (
        Q(parent_id__in=list(authority_ids))
        | Q(parent__kind=Organization.Kind.PROVINCIAL_HR)
        | Q(parent__isnull=True)
    )


def expert_pool_list(*, user):
    """Return the experts `user` may read, with their profile and counts of past assignments and scores: the
    experts of the pools open to the user's authorities (all pools for the province); an expert reads their own
    entry."""
    actor = actor_for(user)
    pools = Organization.objects.filter(kind=Organization.Kind.EXPERT_POOL)
    if actor.is_provincial:
        q = Q(pk__in=Membership.objects.filter(role=Role.EXPERT, organization__in=pools).values("user_id"))
    elif actor.authority_ids:
        open_pools = pools.filter(pools_open_to(actor.authority_ids))
        q = Q(
            pk__in=Membership.objects.filter(role=Role.EXPERT, organization__in=open_pools).values("user_id")
        )
    else:
        q = Q(pk__in=[])
    if actor.is_expert:
        q |= Q(pk=user.pk)
    submitted = Q(expert_assignments__status=ExpertAssignment.Status.SUBMITTED)
    return (
        User.objects.filter(q, is_active=True)
        .select_related("expert_profile")
        .annotate(
            assignment_count=Count("expert_assignments", distinct=True),
            scored_count=Count("expert_assignments", filter=submitted, distinct=True),
        )
        .order_by("pk")
    )


def expert_history(*, user, expert):
    """Return the expert's past assignments with their scores, of the applications `user` may see."""
    return (
        ExpertAssignment.objects.filter(expert=expert, application__in=visible_to(user))
        .select_related("application__batch", "application__institution")
        .order_by("-assigned_at")[:50]
    )
