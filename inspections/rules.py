"""Scoring rules: inspection results by thresholds (R-26), the reproducible draw (R-25), the weighted
assessment (R-27), and what the portal already knows about a base."""

import hashlib
import random
from decimal import Decimal

from django.utils.translation import gettext as _

from bases.models import MisconductReport
from plans.models import AnnualPlan
from plans.selectors import execution_summary

from .models import Inspection, Rating, Result

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


def _fact(item, text) -> dict:
    return {"item": item, "text": text}


def _year_plan(base, year):
    """Return the base's annual plan of `year` as first drawn up (not an amendment), or None."""

    return AnnualPlan.objects.filter(base=base, year=year, kind=AnnualPlan.Kind.PLAN).first()


def _execution_facts(totals) -> list[dict]:
    if not totals:
        return [_fact("annual_plan", _("本平台无该年度计划"))]
    return [
        _fact(
            "annual_plan",
            _("计划班次 %(a)d，实际 %(b)d；计划人数 %(c)d，实际结业 %(d)d")
            % {
                "a": totals["planned_classes"],
                "b": totals["actual_classes"],
                "c": totals["planned_trainees"],
                "d": totals["actual_trainees"],
            },
        ),
        _fact("tasks", _("本年度结业 %(n)d 人") % {"n": totals["actual_trainees"]}),
    ]


def _filing_note(plan) -> str:
    if plan.is_late:
        return _("（逾期报送）")
    return _("（按时报送）") if plan.first_submitted_at else ""


def _plan_fact(plan, year) -> dict:
    if plan is None:
        return _fact("annual_plan", _("%(y)d 年度计划未报送") % {"y": year})
    return _fact(
        "annual_plan",
        _("%(y)d 年度计划：%(s)s%(late)s")
        % {"y": year, "s": plan.get_state_display(), "late": _filing_note(plan)},
    )


def _fees_fact(base) -> dict:
    if base.fees.exists():
        return _fact("fees", _("已公布收费标准 %(n)d 项") % {"n": base.fees.count()})
    return _fact("fees", _("未公布收费标准"))


def _platform_fact(base) -> dict:
    platform = base.platform_name or base.platform_url
    if platform:
        return _fact("platform", _("平台：%(p)s") % {"p": platform})
    return _fact("platform", _("未登记网络培训平台"))


def _credit_fact(base) -> dict:

    # A dismissed report is settled; an open one, or one that led to a spot check, still weighs on credit.
    open_reports = (
        MisconductReport.objects.filter(base=base).exclude(status=MisconductReport.Status.DISMISSED).count()
    )
    return _fact("credit", _("未办结或已转抽查的违规举报 %(n)d 件") % {"n": open_reports})


def known_facts(base, year) -> list[dict]:
    """What the portal already knows for the inspector, item by item (R-26)."""

    totals = execution_summary(base, year)["totals"]
    return [
        *_execution_facts(totals),
        _plan_fact(_year_plan(base, year), year),
        _fees_fact(base),
        _platform_fact(base),
        _credit_fact(base),
    ]


# R-27 weights: each input is scored 0-100 and weighted; the weights are shown with the proposal.
WEIGHTS = {"inspection": 40, "plan_on_time": 15, "execution": 20, "scale": 15, "reports": 10}


def assessment_inputs(base, year) -> dict:

    inspections = list(
        Inspection.objects.filter(base=base, round__year=year, state=Inspection.State.CONFIRMED)
    )
    worst = {Result.QUALIFIED: 100, Result.BASIC: 70, Result.UNQUALIFIED: 30}
    inspection_score = min((worst[i.result] for i in inspections), default=80)
    plan = _year_plan(base, year)
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
