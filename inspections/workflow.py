"""Supervision workflows on the engine (R-25..R-28).

Inspection: planned → scored (re-scored until confirmed) → confirmed; an unqualified result orders a
rectification. Assessment: proposed → confirmed (→ published with the year's notice); an unqualified rating
orders a rectification. Rectification: open → replied → closed | back to open; once the deadline has passed
unresolved, revocation is proposed and an approver revokes the base through `bases`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from audit.selectors import actor_ids_of
from bases.services import base_rectification_end, base_revoke_once
from engine import Machine, Transition
from kit.errors import InvalidInput, WrongState
from kit.uploads import stored_file_fields

from . import rules
from .models import (
    ITEM_KEYS,
    Assessment,
    Inspection,
    ItemScore,
    Rating,
    Rectification,
    RectificationEvidence,
    Result,
)
from .notify import notify_rectification
from .orders import check_order, clean_scores, rectification_order
from .permissions import is_approver_for, is_base_staff, is_staff_of
from .selectors import assessments_visible_to, inspections_visible_to, rectifications_visible_to

REVIEWERS = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
INSPECTORS = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, Role.AUTHORITY_ADMIN)

# --- inspection (R-25, R-26) -----------------------------------------------------------------------------

I = Inspection.State  # noqa: E741 (a state alias, as S elsewhere)


def _of_round(*roles):
    return lambda user, insp: is_staff_of(user, insp.round.authority_id, *roles)


def _score_errors(insp, *, inspected_on, inspectors, scores) -> dict:
    errors = {}
    people = {u.pk: u for u in inspectors or ()}
    if len(people) < 2:
        errors["inspectors"] = [_("检查人员不少于 2 人。")]
    elif any(not is_staff_of(u, insp.round.authority_id, *INSPECTORS) for u in people.values()):
        errors["inspectors"] = [_("检查人员须为检查部门工作人员。")]
    if inspected_on is None or inspected_on > timezone.localdate():
        errors["inspected_on"] = [_("检查日期无效。")]
    try:
        clean_scores(scores or {})
    except InvalidInput as exc:
        errors.update(exc.field_errors)
    return errors


def _guard_score(insp, actor, *, inspected_on=None, inspectors=(), scores=None, **data):
    """R-26: at least two inspectors of the inspecting authority, a date not in the future, nine scores."""
    errors = _score_errors(insp, inspected_on=inspected_on, inspectors=inspectors, scores=scores)
    if errors:
        raise InvalidInput(_("检查记录有误，请按提示修改。"), field_errors=errors)


def _on_score(insp, actor, *, inspected_on, inspectors, scores, notes=None, conclusion="", **data):
    clean = clean_scores(scores)
    notes = notes or {}
    insp.scores.all().delete()
    ItemScore.objects.bulk_create(
        [
            ItemScore(inspection=insp, item=k, score=clean[k], notes=(notes.get(k) or "").strip())
            for k in ITEM_KEYS
        ]
    )
    insp.inspectors.set({u.pk: u for u in inspectors}.values())
    insp.inspected_on = inspected_on
    insp.average = sum(clean.values()) / len(clean)
    insp.result = rules.inspection_result(
        insp.average, qualified_min=insp.round.qualified_min, basic_min=insp.round.basic_min
    )
    insp.conclusion = (conclusion or "").strip()


def _guard_confirm_inspection(insp, actor, *, rectification_items="", deadline=None, **data):
    if insp.result == Result.UNQUALIFIED:
        check_order(rectification_items, deadline)


def _on_confirm_inspection(insp, actor, *, rectification_items="", deadline=None, **data):
    insp.confirmed_by, insp.confirmed_at = actor, timezone.now()
    if insp.result == Result.UNQUALIFIED:
        rectification_order(
            actor=actor, base=insp.base, inspection=insp, items=rectification_items, deadline=deadline
        )
    if insp.report_id:
        report = insp.report
        report.outcome = _("已开展抽查，检查结论：%(r)s。") % {"r": insp.get_result_display()}
        report.save(update_fields=["outcome"])


def _inspection_preparers(insp) -> set:
    """Return who recorded the result or inspected: they propose the conclusion and may not confirm it
    (segregation of duties)."""
    inspectors = set(insp.inspectors.values_list("pk", flat=True))
    return inspectors | actor_ids_of(insp, "inspection.scored")


INSPECTION = Machine(
    name="inspection",
    noun=gettext_lazy("检查"),
    model=Inspection,
    visible_to=inspections_visible_to,
    organization=lambda insp: insp.round.authority,
    related=("round__authority", "base__approving_authority", "base__institution"),
    transitions=[
        Transition(
            "score",
            gettext_lazy("录入检查结果"),
            (I.PLANNED, I.SCORED),
            I.SCORED,
            _of_round(Role.AUTHORITY_REVIEWER),
            guard=_guard_score,
            effect=_on_score,
            fields=("inspected_on", "average", "result", "conclusion"),
            precheck=False,
            note=lambda insp: f"{insp.average} {insp.result}",
            event="scored",
        ),
        Transition(
            "confirm",
            gettext_lazy("确认检查结论"),
            (I.SCORED,),
            I.CONFIRMED,
            _of_round(Role.AUTHORITY_APPROVER),
            guard=_guard_confirm_inspection,
            effect=_on_confirm_inspection,
            fields=("confirmed_by", "confirmed_at"),
            precheck=False,
            confirm=gettext_lazy("确认后检查结论不能修改，不合格的基地将进入整改。确定确认？"),
            style="success",
            note=lambda insp: insp.result,
            event="confirmed",
            preparers=_inspection_preparers,
        ),
    ],
)

# --- dynamic assessment (R-27) ---------------------------------------------------------------------------

A = Assessment.State


def _guard_confirm_assessment(a, actor, *, rating="", reason="", rectification_items="", deadline=None, **d):
    if rating not in Rating.values:
        raise InvalidInput(_("等次无效。"), field_errors={"rating": [_("等次无效。")]})
    if rating != a.proposed_rating and not (reason or "").strip():
        raise InvalidInput(
            _("调整建议等次须填写理由。"), field_errors={"reason": [_("调整建议等次须填写理由。")]}
        )
    if rating == Rating.UNQUALIFIED:
        check_order(rectification_items, deadline)


def _on_confirm_assessment(a, actor, *, rating, reason="", rectification_items="", deadline=None, **data):
    a.rating, a.change_reason, a.confirmed_by = rating, (reason or "").strip(), actor
    if rating == Rating.UNQUALIFIED:
        rectification_order(
            actor=actor, base=a.base, assessment=a, items=rectification_items, deadline=deadline
        )


ASSESSMENT = Machine(
    name="assessment",
    noun=gettext_lazy("评估"),
    model=Assessment,
    visible_to=assessments_visible_to,
    organization=lambda a: a.base.approving_authority,
    related=("base__approving_authority", "base__institution"),
    transitions=[
        Transition(
            "confirm",
            gettext_lazy("确认评估等次"),
            (A.PROPOSED,),
            A.CONFIRMED,
            lambda user, a: is_approver_for(user, a.base),
            guard=_guard_confirm_assessment,
            effect=_on_confirm_assessment,
            fields=("rating", "change_reason", "confirmed_by"),
            precheck=False,
            style="success",
            note=lambda a: f"{a.proposed_rating} → {a.rating} {a.change_reason}".strip(),
            event="confirmed",
        ),
    ],
)

# --- rectification (R-27, R-28) --------------------------------------------------------------------------

S = Rectification.State


def _authority(*roles):
    return lambda user, rect: is_staff_of(user, rect.base.approving_authority_id, *roles)


def _before_deadline(rect, *, today=None, **context) -> bool:
    return (today or timezone.localdate()) <= rect.deadline


def _guard_reply(rect, actor, *, today=None, reply="", **data):
    if not _before_deadline(rect, today=today):
        raise WrongState(_("整改期限（%(d)s）已过，不能再报送整改情况。") % {"d": rect.deadline})
    if not (reply or "").strip():
        raise InvalidInput(_("请说明整改情况。"), field_errors={"reply": [_("请说明整改情况。")]})


def _guard_propose_revocation(rect, actor, *, today=None, **data):
    if _before_deadline(rect, today=today):
        raise WrongState(_("整改期限（%(d)s）未满，不能提出撤销。") % {"d": rect.deadline})


def _on_reply(rect, actor, *, reply="", evidence=None, **data):
    rect.reply, rect.replied_at = reply.strip(), timezone.now()
    if evidence is not None:
        RectificationEvidence.objects.create(
            rectification=rect, **stored_file_fields(evidence, with_sha256=False)
        )


def _on_accept(rect, actor, **data):
    still_open = (
        Rectification.objects.filter(base=rect.base_id)
        .exclude(pk=rect.pk)
        .exclude(state__in=[S.CLOSED, S.REVOKED])
        .exists()
    )
    if not still_open:
        base_rectification_end(actor=actor, base=rect.base)


def _on_revoke(rect, actor, *, comment="", **data):
    cause = "assessment" if rect.assessment_id else "inspection"
    base_revoke_once(actor=actor, base=rect.base, reasons=comment, cause=cause)


MACHINE = Machine(
    name="rectification",
    noun=gettext_lazy("整改"),
    model=Rectification,
    visible_to=rectifications_visible_to,
    organization=lambda rect: rect.base.approving_authority,
    related=("base__institution", "base__approving_authority"),
    comment_field="last_comment",
    notify=notify_rectification,
    transitions=[
        Transition(
            "reply",
            gettext_lazy("报送整改情况"),
            (S.OPEN,),
            S.REPLIED,
            lambda u, r: is_base_staff(u, r.base),
            guard=_guard_reply,
            effect=_on_reply,
            precheck=False,
            fields=("reply", "replied_at"),
            offered=_before_deadline,
        ),
        Transition(
            "accept",
            gettext_lazy("整改验收通过"),
            (S.REPLIED,),
            S.CLOSED,
            _authority(*REVIEWERS),
            effect=_on_accept,
            confirm=gettext_lazy("验收通过后整改即结束，不能撤销。确定验收通过？"),
            style="success",
        ),
        Transition(
            "reject",
            gettext_lazy("整改不到位，继续整改"),
            (S.REPLIED,),
            S.OPEN,
            _authority(*REVIEWERS),
            needs_comment=True,
            style="warning",
        ),
        Transition(
            "propose_revocation",
            gettext_lazy("提出撤销基地资格"),
            (S.OPEN, S.REPLIED),
            S.REVOCATION_PROPOSED,
            _authority(Role.AUTHORITY_REVIEWER),
            guard=_guard_propose_revocation,
            needs_comment=True,
            style="danger",
            offered=lambda rect, **context: not _before_deadline(rect, **context),
        ),
        Transition(
            "revoke",
            gettext_lazy("撤销基地资格"),
            (S.REVOCATION_PROPOSED,),
            S.REVOKED,
            _authority(Role.AUTHORITY_APPROVER),
            effect=_on_revoke,
            preparers=lambda rect: actor_ids_of(rect, "rectification.propose_revocation"),
            needs_comment=True,
            style="danger",
            confirm=gettext_lazy("撤销后将公告，并不再受理该机构的申请。确定撤销？"),
        ),
        Transition(
            "keep",
            gettext_lazy("不予撤销，继续整改"),
            (S.REVOCATION_PROPOSED,),
            S.OPEN,
            _authority(Role.AUTHORITY_APPROVER),
            needs_comment=True,
            style="outline-secondary",
        ),
    ],
)
# The actions the API accepts for this machine (its schema names the enum in settings).
ACTIONS = sorted(MACHINE.table)
