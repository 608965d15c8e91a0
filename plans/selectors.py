"""Reads of plans and classes for a user; the filing dashboard; planned-versus-actual summaries."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from accounts.jurisdiction import actor_for, restrict
from accounts.models import Role
from audit.selectors import object_history
from bases.models import Base

from .deadlines import deadline_date
from .models import AnnualPlan, PlanItem, PlanState, TrainingClass

MIN_PROVINCIAL_TRAINEES = 2000

# The filing states the dashboard shows, in order.
FILING_STATES = [
    ("not_started", gettext_lazy("未编制")),
    (PlanState.DRAFT, gettext_lazy("草稿")),
    (PlanState.HOST_REVIEW, gettext_lazy("建设单位审核中")),
    (PlanState.RETURNED, gettext_lazy("已退回")),
    (PlanState.SUBMITTED, gettext_lazy("已报送待备案")),
    (PlanState.FILED, gettext_lazy("已备案")),
]


def plans_visible_to(user):
    """Plans of the user's institution (operators and host-unit reviewers) or of the bases their authority
    approved; the provincial HR department sees all."""
    return restrict(
        AnnualPlan.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def classes_visible_to(user):
    return restrict(
        TrainingClass.objects.all(),
        user,
        authority_field="base__approving_authority_id",
        institution_field="base__institution_id",
    )


def plan_detail(*, user, pk):
    return (
        plans_visible_to(user)
        .select_related(
            "base__institution", "base__approving_authority", "amends", "host_reviewed_by", "filed_by"
        )
        .prefetch_related("items__preference_regions")
        .filter(pk=pk)
        .first()
    )


def plan_totals(plan) -> dict:
    items = list(plan.items.all())
    trainees = sum(i.planned_trainees for i in items)
    totals = {
        "items": len(items),
        "classes": sum(i.planned_classes for i in items),
        "trainees": trainees,
        "hours": sum((i.hours_per_trainee * i.planned_trainees for i in items), Decimal("0")),
        "public_interest_trainees": sum(i.planned_trainees for i in items if i.public_interest),
    }
    # a provincial (or national, R-36) base's plan below 2,000 trainees is flagged to every reader.
    totals["below_provincial_scale"] = plan.base.counts_as_provincial and trainees < MIN_PROVINCIAL_TRAINEES
    return totals


def effective_plan(base, year):
    """The plan that governs a year: the latest filed amendment, else the filed plan, else the plan if any."""
    plan = AnnualPlan.objects.filter(base=base, year=year, kind=AnnualPlan.Kind.PLAN).first()
    if plan is None:
        return None
    latest = AnnualPlan.objects.filter(amends=plan, state=PlanState.FILED).order_by("-filed_at").first()
    return latest or plan


def execution_summary(base, year) -> dict:
    """Planned versus actual for `year`, from the portal's own classes (Art. 20's execution summary)."""
    plan = effective_plan(base, year)
    if plan is None:
        return {"plan": None, "rows": [], "totals": None}
    items = list(plan.items.all())
    # Classes may sit under the original plan's items or any amendment's: group by the original item.
    root = {
        i.pk: (i.continues_id or i.pk)
        for i in PlanItem.objects.filter(
            Q(plan=plan) | Q(plan__amends=plan.amends or plan) | Q(plan=plan.amends)
        )
    }
    actual = Counter()
    trainees = Counter()
    for item_id, n_classes, n_completed in (
        TrainingClass.objects.filter(base=base, year=year)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .values_list("plan_item_id")
        .annotate(Count("id"), Sum("completed_count"))
    ):
        actual[root.get(item_id, item_id)] += n_classes
        trainees[root.get(item_id, item_id)] += n_completed or 0
    rows = []
    for item in items:
        key = item.continues_id or item.pk
        rows.append(
            {
                "item": item,
                "planned_classes": item.planned_classes,
                "actual_classes": actual[key],
                "planned_trainees": item.planned_trainees,
                "actual_trainees": trainees[key],
            }
        )
    totals = {
        "planned_classes": sum(r["planned_classes"] for r in rows),
        "actual_classes": sum(r["actual_classes"] for r in rows),
        "planned_trainees": sum(r["planned_trainees"] for r in rows),
        "actual_trainees": sum(r["actual_trainees"] for r in rows),
    }
    return {"plan": plan, "rows": rows, "totals": totals}


def dashboard(*, user, year: int):
    """Every base in the user's jurisdiction with the filing state of its plan for `year` (R-22)."""
    bases = (
        restrict(
            Base.objects.not_revoked(),
            user,
            authority_field="approving_authority_id",
            institution_field="institution_id",
        )
        .select_related("institution", "approving_authority")
        .order_by("approving_authority__kind", "approving_authority__name", "name")
    )
    plans = {
        p.base_id: p for p in AnnualPlan.objects.filter(year=year, kind=AnnualPlan.Kind.PLAN, base__in=bases)
    }
    rows = []
    for base in bases:
        plan = plans.get(base.pk)
        rows.append(
            {
                "base": base,
                "plan": plan,
                "state": plan.state if plan else "not_started",
                "late": bool(plan and plan.is_late),
            }
        )
    counts = Counter(r["state"] for r in rows)
    by_authority = {}
    for r in rows:
        entry = by_authority.setdefault(r["base"].approving_authority, Counter())
        entry[r["state"]] += 1
        entry["late"] += int(r["late"])
        entry["total"] += 1
    return {
        "rows": rows,
        "counts": [(key, label, counts.get(key, 0)) for key, label in FILING_STATES],
        "late": sum(1 for r in rows if r["late"]),
        "total": len(rows),
        "by_authority": sorted(by_authority.items(), key=lambda kv: (kv[0].kind, kv[0].name)),
        "deadline": deadline_date(year),
    }


def class_list(*, user, filters: dict):
    qs = classes_visible_to(user).select_related("base", "plan_item__plan")
    if filters.get("base"):
        qs = qs.filter(base_id=filters["base"])
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.order_by("-starts_on", "-id")


def actor_bases(user):
    actor = actor_for(user)
    return Base.objects.filter(
        institution_id__in=actor.orgs_with(Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
    ).exclude(status=Base.Status.REVOKED)


def plan_next_step(plan) -> str:
    """Who acts next on a plan, in words for the plan page's panel."""
    from django.utils.translation import gettext as _

    if plan.state in (PlanState.DRAFT, PlanState.RETURNED):
        return _("由%(b)s的基地经办人填写并提交建设单位审核") % {"b": plan.base.name}
    if plan.state == PlanState.HOST_REVIEW:
        return _("由%(i)s的建设单位审核人审核") % {"i": plan.base.institution.name}
    if plan.state == PlanState.SUBMITTED:
        return _("由%(a)s备案") % {"a": plan.base.approving_authority.name}
    return _("已备案，无需再办理")


def plan_history(plan) -> list:
    """Return a plan's history: the base, its host unit and the authority read all of it (the comments are the
    reasons a plan was returned). A removed item is named by its title (older events' ids are not shown)."""
    return object_history(plan)
