"""Every write of inspections, assessments and rectifications."""

import secrets
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from bases.models import Base, Notice
from bases.services import notice_publish
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.uploads import check_upload

from . import rules, workflow
from .models import (
    Assessment,
    Inspection,
    InspectionRound,
    Rectification,
    SelfAssessment,
)
from .orders import clean_scores
from .permissions import is_base_staff, is_staff_of, may_inspect


def _inspectable(authority, bases):
    return [b for b in bases if may_inspect(None, b, authority)]


def round_create(
    *,
    actor,
    authority,
    kind,
    year,
    title,
    base_ids=None,
    draw_size=None,
    seed=None,
    report=None,
    qualified_min=80,
    basic_min=60,
) -> InspectionRound:
    """Open a periodic round (every active base of the jurisdiction) or a spot check (a seeded random sample of
    N bases, or chosen bases, e.g. the subject of a misconduct report)."""
    if not is_staff_of(actor, authority.pk):
        raise PermissionRefused(_("只有检查部门的审核员或审批人可以组织检查。"))
    if not 0 <= basic_min <= qualified_min <= 100:
        raise InvalidInput(
            _("分数线应满足 0 ≤ 基本合格线 ≤ 合格线 ≤ 100。"),
            field_errors={"qualified_min": [_("分数线无效。")]},
        )
    scope = _supervised_bases(authority)
    with transaction.atomic():
        rnd = InspectionRound(
            authority=authority,
            kind=kind,
            year=year,
            title=title,
            created_by=actor,
            qualified_min=qualified_min,
            basic_min=basic_min,
        )
        chosen = _choose_bases(rnd, scope, base_ids=base_ids, draw_size=draw_size, seed=seed)
        if not chosen:
            raise InvalidInput(_("本次检查没有可检查的基地。"))
        rnd.save()
        for base_id in chosen:
            Inspection.objects.create(
                round=rnd, base_id=base_id, report=report if report and report.base_id == base_id else None
            )
        audit_record(
            actor=actor,
            action="inspection.round_opened",
            obj=rnd,
            organization=authority,
            comment=f"{kind} bases={len(chosen)} seed={rnd.draw_seed}",
        )
    return rnd


def _supervised_bases(authority):
    """R-25: the bases an authority supervises: those it approved; the province's, every base."""
    scope = Base.objects.not_revoked()
    if authority.kind != "provincial_hr":
        scope = scope.filter(approving_authority=authority)
    return scope


def _choose_bases(rnd, scope, *, base_ids, draw_size, seed) -> list[int]:
    """Every base of a periodic round, a seeded random draw (recorded on the round), or the chosen bases."""
    if rnd.kind == InspectionRound.Kind.PERIODIC:
        return list(scope.values_list("pk", flat=True))
    if draw_size:
        rnd.draw_candidates = sorted(scope.values_list("pk", flat=True))
        rnd.draw_seed = seed or secrets.token_hex(8)
        rnd.draw_size = draw_size
        return rules.draw(rnd.draw_candidates, draw_size, rnd.draw_seed)
    chosen = list(scope.filter(pk__in=base_ids or []).values_list("pk", flat=True))
    if len(chosen) != len(set(base_ids or [])):
        # A base outside the authority's jurisdiction answers as if it did not exist (404).
        raise NotVisible(_("未找到所选基地，或不在本部门检查范围内。"))
    return chosen


def redraw(rnd: InspectionRound) -> list[int]:
    """Re-run a recorded draw from its seed and candidates: an auditor gets the same sample."""
    return rules.draw(rnd.draw_candidates, rnd.draw_size, rnd.draw_seed)


def self_assessment_file(*, actor, rnd, base, scores: dict, notes: str) -> SelfAssessment:
    if not is_base_staff(actor, base) or not rnd.inspections.filter(base=base).exists():
        raise NotVisible(_("未找到该检查。"))
    if rnd.kind != InspectionRound.Kind.PERIODIC:
        raise WrongState(_("只有定期检查可以提交自评。"))
    if rnd.inspections.filter(base=base).exclude(state=Inspection.State.PLANNED).exists():
        raise WrongState(_("检查已开始，不能再提交自评。"))
    clean = clean_scores(scores)
    obj, _created = SelfAssessment.objects.update_or_create(
        round=rnd, base=base, defaults={"scores": clean, "notes": notes.strip(), "filed_by": actor}
    )
    audit_record(
        actor=actor,
        action="inspection.self_assessment",
        obj=rnd,
        organization=base.institution,
        comment=base.name,
    )
    return obj


def inspection_score(
    *, actor, inspection_id, inspected_on: date, inspectors: list, scores: dict, notes: dict, conclusion: str
) -> Inspection:
    """Record an inspection: at least two inspectors, a date, the nine items each scored with notes (R-26)."""
    return workflow.INSPECTION.run(
        inspection_id,
        "score",
        actor=actor,
        inspected_on=inspected_on,
        inspectors=inspectors,
        scores=scores,
        notes=notes,
        conclusion=conclusion,
    )


def inspection_confirm(
    *, actor, inspection_id, rectification_items: str = "", deadline: date | None = None
) -> Inspection:
    """An approver confirms the result; an unqualified result orders a rectification with items and a deadline."""
    return workflow.INSPECTION.run(
        inspection_id, "confirm", actor=actor, rectification_items=rectification_items, deadline=deadline
    )


def round_publish(*, actor, round_id) -> InspectionRound:
    """Publish the results of a round as one notice listing each base and its result (R-25); no personal data."""
    with transaction.atomic():
        rnd = (
            InspectionRound.objects.select_for_update()
            .select_related("authority")
            .filter(pk=round_id)
            .first()
        )
        if rnd is None or not is_staff_of(actor, rnd.authority_id):
            raise NotVisible(_("未找到该检查批次。"))
        if rnd.state != InspectionRound.State.OPEN:
            raise WrongState(_("该批次结果已公布。"))
        inspections = list(rnd.inspections.select_related("base"))
        pending = [i for i in inspections if i.state != Inspection.State.CONFIRMED]
        if pending:
            raise WrongState(_("还有 %(n)d 个基地的检查结论未确认。") % {"n": len(pending)})
        lines = [_("%(a)s组织了%(t)s，结果如下：") % {"a": rnd.authority.name, "t": rnd.title}]
        lines += [f"{i.base.name}：{i.get_result_display()}" for i in inspections]
        notice = notice_publish(
            actor=actor,
            kind=Notice.Kind.INSPECTION,
            title=_("关于%(t)s结果的公告") % {"t": rnd.title},
            body="\n".join(lines),
            authority=rnd.authority,
        )
        notice.listed_bases.set([i.base for i in inspections])
        rnd.state, rnd.published_notice = InspectionRound.State.PUBLISHED, notice
        rnd.save(update_fields=["state", "published_notice"])
        audit_record(
            actor=actor,
            action="inspection.round_published",
            obj=rnd,
            organization=rnd.authority,
            from_state="open",
            to_state="published",
        )
    return rnd


# --- dynamic assessment (R-27) ---------------------------------------------------------------------------


def assessments_propose(*, actor, authority, year) -> list[Assessment]:
    """Compute the proposed rating of every base the authority approved (the province: all) for a year."""
    if not is_staff_of(actor, authority.pk):
        raise PermissionRefused(_("只有评估部门可以发起评估。"))
    scope = _supervised_bases(authority)
    created = []
    with transaction.atomic():
        for base in scope:
            if Assessment.objects.filter(base=base, year=year).exists():
                continue
            inputs = rules.assessment_inputs(base, year)
            score = rules.weighted_score(inputs)
            rating = rules.rating_for(score)
            created.append(
                Assessment.objects.create(
                    base=base, year=year, inputs=inputs, score=score, proposed_rating=rating, rating=rating
                )
            )
        audit_record(
            actor=actor,
            action="assessment.proposed",
            organization=authority,
            comment=f"year={year} n={len(created)}",
        )
    return created


def assessment_confirm(
    *, actor, assessment_id, rating: str, reason: str = "", rectification_items="", deadline=None
) -> Assessment:
    """An approver confirms the proposed rating or changes it with a written reason; unqualified orders a
    rectification."""
    return workflow.ASSESSMENT.run(
        assessment_id,
        "confirm",
        actor=actor,
        rating=rating,
        reason=reason,
        rectification_items=rectification_items,
        deadline=deadline,
    )


def assessments_publish(*, actor, authority, year) -> Notice:
    """Publish the confirmed ratings of a year (R-27)."""
    with transaction.atomic():
        qs = (
            Assessment.objects.select_for_update()
            .filter(year=year, state=Assessment.State.CONFIRMED)
            .select_related("base")
        )
        if authority.kind != "provincial_hr":
            qs = qs.filter(base__approving_authority=authority)
        if not is_staff_of(actor, authority.pk):
            raise PermissionRefused(_("只有评估部门可以公布评估结果。"))
        items = list(qs)
        if not items:
            raise WrongState(_("没有已确认待公布的评估结果。"))
        lines = [_("%(y)d 年度继续教育基地动态评估结果：") % {"y": year}] + [
            f"{a.base.name}：{a.get_rating_display()}" for a in items
        ]
        notice = notice_publish(
            actor=actor,
            kind=Notice.Kind.ASSESSMENT,
            title=_("关于%(y)d年度继续教育基地评估结果的公告") % {"y": year},
            body="\n".join(lines),
            authority=authority,
        )
        notice.listed_bases.set([a.base for a in items])
        Assessment.objects.filter(pk__in=[a.pk for a in items]).update(state=Assessment.State.PUBLISHED)
        audit_record(
            actor=actor,
            action="assessment.published",
            obj=notice,
            organization=authority,
            comment=f"year={year} n={len(items)}",
        )
    return notice


def rectification_reply(*, actor, rectification_id, reply: str, evidence=None) -> Rectification:
    """The base reports how it has rectified, with evidence, before the deadline."""
    if not (reply or "").strip():
        raise InvalidInput(_("请说明整改情况。"), field_errors={"reply": [_("请说明整改情况。")]})
    if evidence is not None:
        check_upload(evidence)
    return workflow.MACHINE.run(
        rectification_id, "reply", actor=actor, reply=reply.strip(), evidence=evidence
    )
