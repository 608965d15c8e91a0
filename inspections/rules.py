"""Scoring rules: inspection results by thresholds (R-26), the reproducible draw (R-25), the weighted
assessment (R-27), and what the portal already knows about a base."""

import hashlib
import random
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Rating, Result

RATING_BOUNDS = [
    (Decimal("90"), Rating.EXCELLENT),
    (Decimal("75"), Rating.GOOD),
    (Decimal("60"), Rating.QUALIFIED),
]


def inspection_result(average: Decimal, *, qualified_min: int, basic_min: int) -> str:
    """Qualified at or above `qualified_min`, basically qualified at or above `basic_min`, else unqualified."""
    if average >= qualified_min:
        return Result.QUALIFIED
    if average >= basic_min:
        return Result.BASIC
    return Result.UNQUALIFIED


def draw(candidates: list[int], size: int, seed: str) -> list[int]:
    """Draw `size` bases from the sorted candidates with a seeded generator: re-running gives the same sample."""
    population = sorted(candidates)
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16))  # noqa: S311  (auditable, not secret)
    return sorted(rng.sample(population, min(size, len(population))))


def known_facts(base, year) -> list[dict]:
    """What the portal already knows for the inspector, item by item (R-26)."""
    from bases.models import MisconductReport
    from plans.models import AnnualPlan
    from plans.selectors import execution_summary

    summary = execution_summary(base, year)
    plan = AnnualPlan.objects.filter(base=base, year=year, kind=AnnualPlan.Kind.PLAN).first()
    facts = []
    if summary["totals"]:
        t = summary["totals"]
        facts.append(
            {
                "item": "annual_plan",
                "text": _("计划班次 %(a)d，实际 %(b)d；计划人数 %(c)d，实际结业 %(d)d")
                % {
                    "a": t["planned_classes"],
                    "b": t["actual_classes"],
                    "c": t["planned_trainees"],
                    "d": t["actual_trainees"],
                },
            }
        )
        facts.append({"item": "tasks", "text": _("本年度结业 %(n)d 人") % {"n": t["actual_trainees"]}})
    else:
        facts.append({"item": "annual_plan", "text": _("本平台无该年度计划")})
    if plan is None:
        facts.append({"item": "annual_plan", "text": _("%(y)d 年度计划未报送") % {"y": year}})
    else:
        facts.append(
            {
                "item": "annual_plan",
                "text": _("%(y)d 年度计划：%(s)s%(late)s")
                % {
                    "y": year,
                    "s": plan.get_state_display(),
                    "late": _("（逾期报送）")
                    if plan.is_late
                    else _("（按时报送）")
                    if plan.first_submitted_at
                    else "",
                },
            }
        )
    facts.append(
        {
            "item": "fees",
            "text": _("已公布收费标准 %(n)d 项") % {"n": base.fees.count()}
            if base.fees.exists()
            else _("未公布收费标准"),
        }
    )
    facts.append(
        {
            "item": "platform",
            "text": _("平台：%(p)s") % {"p": base.platform_name or base.platform_url}
            if (base.platform_name or base.platform_url)
            else _("未登记网络培训平台"),
        }
    )
    open_reports = (
        MisconductReport.objects.filter(base=base).exclude(status=MisconductReport.Status.DISMISSED).count()
    )
    facts.append({"item": "credit", "text": _("未办结或已转抽查的违规举报 %(n)d 件") % {"n": open_reports}})
    return facts


# R-27 weights: each input is scored 0-100 and weighted; the weights are shown with the proposal.
WEIGHTS = {"inspection": 40, "plan_on_time": 15, "execution": 20, "scale": 15, "reports": 10}


def assessment_inputs(base, year) -> dict:
    from bases.models import MisconductReport
    from plans.models import AnnualPlan
    from plans.selectors import execution_summary

    from .models import Inspection

    inspections = list(
        Inspection.objects.filter(base=base, round__year=year, state=Inspection.State.CONFIRMED)
    )
    worst = {Result.QUALIFIED: 100, Result.BASIC: 70, Result.UNQUALIFIED: 30}
    inspection_score = min((worst[i.result] for i in inspections), default=80)
    plan = AnnualPlan.objects.filter(base=base, year=year, kind=AnnualPlan.Kind.PLAN).first()
    on_time = (
        100
        if plan and plan.first_submitted_at and not plan.is_late
        else (50 if plan and plan.first_submitted_at else 0)
    )
    totals = execution_summary(base, year)["totals"]
    execution = (
        min(100, round(100 * totals["actual_trainees"] / totals["planned_trainees"]))
        if totals and totals["planned_trainees"]
        else 0
    )
    actual = totals["actual_trainees"] if totals else 0
    scale = min(100, round(100 * actual / 2000)) if base.counts_as_provincial else 100 if actual > 0 else 0
    upheld = MisconductReport.objects.filter(
        base=base, created_at__year=year, status=MisconductReport.Status.SPOT_CHECK
    ).count()
    reports = max(0, 100 - 50 * upheld)
    values = {
        "inspection": inspection_score,
        "plan_on_time": on_time,
        "execution": execution,
        "scale": scale,
        "reports": reports,
    }
    labels = {
        "inspection": _("当年检查结果"),
        "plan_on_time": _("年度计划按时报送"),
        "execution": _("计划执行（实际/计划培训人数）"),
        "scale": _("培训规模（省级基地以 2000 人为满分）") if base.counts_as_provincial else _("培训规模"),
        "reports": _("经查实的违规举报"),
    }
    details = {
        "inspection": ", ".join(i.get_result_display() for i in inspections) or _("当年无检查，按 80 分计"),
        "plan_on_time": plan.get_state_display() + (_("（逾期）") if plan.is_late else "")
        if plan
        else _("未编制"),
        "execution": f"{totals['actual_trainees']}/{totals['planned_trainees']}" if totals else "—",
        "scale": str(actual),
        "reports": str(upheld),
    }
    return {
        k: {"label": str(labels[k]), "value": values[k], "weight": WEIGHTS[k], "detail": str(details[k])}
        for k in WEIGHTS
    }


def weighted_score(inputs: dict) -> Decimal:
    total = sum(Decimal(v["value"]) * v["weight"] for v in inputs.values()) / sum(
        v["weight"] for v in inputs.values()
    )
    return total.quantize(Decimal("0.1"))


def rating_for(score: Decimal) -> str:
    for bound, rating in RATING_BOUNDS:
        if score >= bound:
            return rating
    return Rating.UNQUALIFIED
