"""Every write of inspections, assessments and rectifications."""

import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.services import audit_record
from bases.models import Base, MisconductReport, Notice
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from . import rules
from .models import (
    ITEM_KEYS,
    Assessment,
    Inspection,
    InspectionRound,
    ItemScore,
    Rating,
    Rectification,
    Result,
    SelfAssessment,
)
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
    scope = Base.objects.exclude(status=Base.Status.REVOKED)
    if authority.kind != "provincial_hr":
        scope = scope.filter(approving_authority=authority)
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
        if kind == InspectionRound.Kind.PERIODIC:
            chosen = list(scope.values_list("pk", flat=True))
        elif draw_size:
            rnd.draw_candidates = sorted(scope.values_list("pk", flat=True))
            rnd.draw_seed = seed or secrets.token_hex(8)
            rnd.draw_size = draw_size
            chosen = rules.draw(rnd.draw_candidates, draw_size, rnd.draw_seed)
        else:
            chosen = list(scope.filter(pk__in=base_ids or []).values_list("pk", flat=True))
            if len(chosen) != len(set(base_ids or [])):
                # A base outside the authority's jurisdiction answers as if it did not exist (404).
                raise NotVisible(_("未找到所选基地，或不在本部门检查范围内。"))
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
    clean = _clean_scores(scores)
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


def _clean_scores(scores: dict) -> dict:
    errors, clean = {}, {}
    for key in ITEM_KEYS:
        try:
            value = int(scores.get(key))
            if not 0 <= value <= 100:
                raise ValueError
            clean[key] = value
        except (TypeError, ValueError):
            errors[key] = [_("请填写 0 至 100 的整数。")]
    if errors:
        raise InvalidInput(_("评分有误，请按提示修改。"), field_errors=errors)
    return clean


def _lock_inspection(actor, inspection_id, *roles):
    from .selectors import inspections_visible_to

    insp = (
        inspections_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("round__authority", "base")
        .filter(pk=inspection_id)
        .first()
    )
    if insp is None:
        raise NotVisible(_("未找到该检查。"))
    if not is_staff_of(actor, insp.round.authority_id, *roles):
        raise PermissionRefused(_("只有检查部门可以执行该操作。"))
    return insp


def inspection_score(
    *, actor, inspection_id, inspected_on: date, inspectors: list, scores: dict, notes: dict, conclusion: str
) -> Inspection:
    """Record an inspection: at least two inspectors, a date, the nine items each scored with notes (R-26)."""
    with transaction.atomic():
        insp = _lock_inspection(actor, inspection_id, Role.AUTHORITY_REVIEWER)
        if insp.state == Inspection.State.CONFIRMED:
            raise WrongState(_("检查结论已确认，不能修改。"))
        errors = {}
        people = {u.pk: u for u in inspectors}
        if len(people) < 2:
            errors["inspectors"] = [_("检查人员不少于 2 人。")]
        elif any(
            not is_staff_of(
                u,
                insp.round.authority_id,
                Role.AUTHORITY_REVIEWER,
                Role.AUTHORITY_APPROVER,
                Role.AUTHORITY_ADMIN,
            )
            for u in people.values()
        ):
            errors["inspectors"] = [_("检查人员须为检查部门工作人员。")]
        if inspected_on is None or inspected_on > timezone.localdate():
            errors["inspected_on"] = [_("检查日期无效。")]
        try:
            clean = _clean_scores(scores)
        except InvalidInput as exc:
            errors.update(exc.field_errors)
        if errors:
            raise InvalidInput(_("检查记录有误，请按提示修改。"), field_errors=errors)
        insp.scores.all().delete()
        ItemScore.objects.bulk_create(
            [
                ItemScore(inspection=insp, item=k, score=clean[k], notes=(notes.get(k) or "").strip())
                for k in ITEM_KEYS
            ]
        )
        insp.inspectors.set(people.values())
        insp.inspected_on = inspected_on
        insp.average = sum(clean.values()) / len(clean)
        insp.result = rules.inspection_result(
            insp.average, qualified_min=insp.round.qualified_min, basic_min=insp.round.basic_min
        )
        insp.conclusion = conclusion.strip()
        before = insp.state
        insp.state = Inspection.State.SCORED
        insp.save()
        audit_record(
            actor=actor,
            action="inspection.scored",
            obj=insp,
            organization=insp.round.authority,
            from_state=before,
            to_state=insp.state,
            comment=f"{insp.average} {insp.result}",
        )
    return insp


def inspection_confirm(
    *, actor, inspection_id, rectification_items: str = "", deadline: date | None = None
) -> Inspection:
    """An approver confirms the result; an unqualified result orders a rectification with items and a deadline."""
    with transaction.atomic():
        insp = _lock_inspection(actor, inspection_id, Role.AUTHORITY_APPROVER)
        if insp.state != Inspection.State.SCORED:
            raise WrongState(_("检查当前状态为“%(s)s”，不能确认。") % {"s": insp.get_state_display()})
        if insp.result == Result.UNQUALIFIED:
            _check_order(rectification_items, deadline)
        insp.state = Inspection.State.CONFIRMED
        insp.confirmed_by, insp.confirmed_at = actor, timezone.now()
        insp.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action="inspection.confirmed",
            obj=insp,
            organization=insp.round.authority,
            from_state="scored",
            to_state="confirmed",
            comment=insp.result,
        )
        if insp.result == Result.UNQUALIFIED:
            rectification_order(
                actor=actor, base=insp.base, inspection=insp, items=rectification_items, deadline=deadline
            )
        if insp.report_id:
            MisconductReport.objects.filter(pk=insp.report_id).update(
                outcome=_("已开展抽查，检查结论：%(r)s。") % {"r": insp.get_result_display()}
            )
    return insp


def _check_order(items, deadline):
    errors = {}
    if not (items or "").strip():
        errors["rectification_items"] = [_("不合格的，请列明整改事项。")]
    if deadline is None or deadline <= timezone.localdate():
        errors["deadline"] = [_("请设定晚于今天的整改期限。")]
    if errors:
        raise InvalidInput(_("请填写整改事项和期限。"), field_errors=errors)


def rectification_order(*, actor, base, items, deadline, inspection=None, assessment=None) -> Rectification:
    rect = Rectification.objects.create(
        base=base,
        inspection=inspection,
        assessment=assessment,
        items=items.strip(),
        deadline=deadline,
        ordered_by=actor,
    )
    Base.objects.filter(pk=base.pk, status=Base.Status.ACTIVE).update(status=Base.Status.RECTIFICATION)
    audit_record(
        actor=actor,
        action="rectification.ordered",
        obj=rect,
        organization=base.approving_authority,
        to_state=rect.state,
        comment=f"deadline={deadline}",
    )
    from .notify import notify_rectification

    notify_rectification(rect, "ordered", actor)
    return rect


def round_publish(*, actor, round_id) -> InspectionRound:
    """Publish the results of a round as one notice listing each base and its result (R-25); no personal data."""
    from bases.services import notice_publish

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
    scope = Base.objects.exclude(status=Base.Status.REVOKED)
    if authority.kind != "provincial_hr":
        scope = scope.filter(approving_authority=authority)
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
    from .selectors import assessments_visible_to

    with transaction.atomic():
        a = (
            assessments_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("base")
            .filter(pk=assessment_id)
            .first()
        )
        if a is None:
            raise NotVisible(_("未找到该评估。"))
        if not is_staff_of(actor, a.base.approving_authority_id, Role.AUTHORITY_APPROVER) and not is_staff_of(
            actor, _province_id(), Role.AUTHORITY_APPROVER
        ):
            raise PermissionRefused(_("只有审批人可以确认评估等次。"))
        if a.state != Assessment.State.PROPOSED:
            raise WrongState(_("该评估已确认。"))
        if rating not in Rating.values:
            raise InvalidInput(_("等次无效。"), field_errors={"rating": [_("等次无效。")]})
        if rating != a.proposed_rating and not reason.strip():
            raise InvalidInput(
                _("调整建议等次须填写理由。"), field_errors={"reason": [_("调整建议等次须填写理由。")]}
            )
        if rating == Rating.UNQUALIFIED:
            _check_order(rectification_items, deadline)
        a.rating, a.change_reason, a.state, a.confirmed_by = (
            rating,
            reason.strip(),
            Assessment.State.CONFIRMED,
            actor,
        )
        a.save(update_fields=["rating", "change_reason", "state", "confirmed_by"])
        audit_record(
            actor=actor,
            action="assessment.confirmed",
            obj=a,
            organization=a.base.approving_authority,
            from_state=a.proposed_rating,
            to_state=rating,
            comment=reason,
        )
        if rating == Rating.UNQUALIFIED:
            rectification_order(
                actor=actor, base=a.base, assessment=a, items=rectification_items, deadline=deadline
            )
    return a


def _province_id():
    from accounts.models import Organization

    return Organization.objects.filter(kind="provincial_hr").values_list("pk", flat=True).first()


def assessments_publish(*, actor, authority, year) -> Notice:
    """Publish the confirmed ratings of a year (R-27)."""
    from bases.services import notice_publish

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
    from .workflow import transition

    if not (reply or "").strip():
        raise InvalidInput(_("请说明整改情况。"), field_errors={"reply": [_("请说明整改情况。")]})
    if evidence is not None:
        from kit.uploads import check_upload

        check_upload(evidence)
    return transition(rectification_id, "reply", actor, reply=reply.strip(), evidence=evidence)


def base_revoke(*, actor, base, reasons: str, rectification=None) -> None:
    """R-28: set the base revoked, publish the notice, bar the institution (R-15), file non-provincial ones."""
    from bases.models import Filing, InstitutionBar
    from bases.services import notice_publish, provincial_hr

    Base.objects.filter(pk=base.pk).update(status=Base.Status.REVOKED)
    InstitutionBar.objects.create(
        institution=base.institution,
        reason=InstitutionBar.Reason.BASE_REVOKED,
        detail=reasons,
        recorded_by=actor,
    )
    notice = notice_publish(
        actor=actor,
        kind=Notice.Kind.REVOCATION,
        title=_("关于取消%(b)s继续教育基地资格的公告") % {"b": base.name},
        body="\n".join(
            [
                (
                    _(
                        "%(b)s（%(i)s，证书编号 %(c)s）经动态评估不合格，在规定时间内整改仍未达到要求，根据《办法》第二十三条，取消其继续教育基地资格。"
                    )
                    if rectification is not None and rectification.assessment_id
                    else _(
                        "%(b)s（%(i)s，证书编号 %(c)s）经检查考核不合格，在规定时间内整改仍未达到要求，根据《办法》第二十三条，取消其继续教育基地资格。"
                    )
                )
                % {"b": base.name, "i": base.institution.name, "c": base.certificate_no},
                _("理由：%(r)s") % {"r": reasons},
                _("根据《办法》第二十四条，各级各部门不再受理该机构的继续教育基地申请。"),
            ]
        ),
        authority=base.approving_authority,
        base=base,
    )
    if not base.counts_as_provincial:
        Filing.objects.create(
            base=base, kind=Filing.Kind.CHANGE, filed_by=base.approving_authority, filed_with=provincial_hr()
        )
    audit_record(
        actor=actor,
        action="base.revoked",
        obj=base,
        organization=base.approving_authority,
        from_state="rectification",
        to_state="revoked",
        comment=reasons,
    )
    return notice
