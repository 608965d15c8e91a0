"""Two machines of `bases`: a change request's (R-34) and the Base's own status (R-27, R-28).

Change request: submitted → approved | returned → (resubmitted) submitted | withdrawn.
Base: active ⇄ rectification → revoked (revoked also straight from active, Art. 24, 25). A Base's life belongs
here: inspections and assessments order rectification and revoke through `bases.services`, never by
updating the row themselves.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine import Machine, Transition
from kit.errors import InvalidInput

from .models import Base, ChangeRequest, Filing, InstitutionBar, Notice
from .permissions import can_request_change, is_base_approver, is_base_reviewer, is_supervising_staff
from .revocation import run_revocation_effects
from .selectors import bases_visible_to, change_requests_visible_to
from .services.changes import change_request_apply, change_request_clean, change_request_notify, fee_increases
from .services.registry import base_facts, notice_publish, provincial_hr

S = ChangeRequest.State


def _of_base(check):
    return lambda user, cr: check(user, cr.base)


def _on_decide(cr, actor, *, comment="", **data):
    cr.decided_by, cr.decided_at, cr.decision_comment = actor, timezone.now(), comment


def _on_approve(cr, actor, *, comment="", **data):
    _on_decide(cr, actor, comment=comment)
    change_request_apply(actor=actor, change_request=cr)


def _guard_resubmit(cr, actor, *, reasons="", proposed=None, **data):
    if not (reasons or "").strip():
        raise InvalidInput(_("请填写变更理由。"), field_errors={"reasons": [_("请填写变更理由。")]})
    change_request_clean(cr.base, proposed or {})


def _on_resubmit(cr, actor, *, reasons="", proposed=None, **data):
    clean = change_request_clean(cr.base, proposed or {})
    cr.proposed, cr.reasons = clean, reasons.strip()
    cr.fee_increase = bool(fee_increases(base_facts(cr.base)["fees"], clean["fees"]))


DECIDED = ("decided_by", "decided_at", "decision_comment")

MACHINE = Machine(
    name="change_request",
    noun=gettext_lazy("变更申请"),
    model=ChangeRequest,
    visible_to=change_requests_visible_to,
    organization=lambda cr: cr.base.approving_authority,
    related=("base__approving_authority", "base__institution"),
    notify=change_request_notify,
    transitions=[
        Transition(
            "approve",
            gettext_lazy("批准变更并公布"),
            (S.SUBMITTED,),
            S.APPROVED,
            _of_base(is_base_approver),
            effect=_on_approve,
            fields=DECIDED,
            style="success",
            confirm=gettext_lazy("批准后基地信息将立即变更并发布公告。确定？"),
        ),
        Transition(
            "return",
            gettext_lazy("退回"),
            (S.SUBMITTED,),
            S.RETURNED,
            lambda u, cr: is_base_reviewer(u, cr.base) or is_base_approver(u, cr.base),
            effect=_on_decide,
            fields=DECIDED,
            needs_comment=True,
            style="warning",
        ),
        Transition(
            "resubmit",
            gettext_lazy("修改后重新提交"),
            (S.RETURNED,),
            S.SUBMITTED,
            _of_base(can_request_change),
            guard=_guard_resubmit,
            effect=_on_resubmit,
            fields=("proposed", "reasons", "fee_increase"),
            precheck=False,
            offered=lambda cr, **context: False,  # pressed from its own form, not as a button
            event="resubmitted",
        ),
        Transition(
            "withdraw",
            gettext_lazy("撤回申请"),
            (S.SUBMITTED, S.RETURNED),
            S.WITHDRAWN,
            _of_base(can_request_change),
            style="outline-danger",
            confirm=gettext_lazy("确定撤回该变更申请？"),
        ),
    ],
)
# The actions the API's transitions endpoint accepts (its schema names the enum in settings); resubmitting
# carries a whole new proposal and is the change request's own edit, not a transition button.
ACTIONS = sorted(action for action in MACHINE.table if action != "resubmit")


# --- the Base's own status ------------------------------------------------------------------------------

B = Base.Status


def _revocation_body(base, reasons, cause):
    if cause == "assessment":
        why = _(
            "%(b)s（%(i)s，证书编号 %(c)s）经动态评估不合格，在规定时间内整改仍未达到要求，根据《办法》第二十三条，取消其继续教育基地资格。"
        )
    else:
        why = _(
            "%(b)s（%(i)s，证书编号 %(c)s）经检查考核不合格，在规定时间内整改仍未达到要求，根据《办法》第二十三条，取消其继续教育基地资格。"
        )
    return "\n".join(
        [
            why % {"b": base.name, "i": base.institution.name, "c": base.certificate_no},
            _("理由：%(r)s") % {"r": reasons},
            _("根据《办法》第二十四条，各级各部门不再受理该机构的继续教育基地申请。"),
        ]
    )


def _on_revoke(base, actor, *, comment="", cause="inspection", **data):
    """R-28: publish the notice, bar the institution (R-15), file the change of a non-provincial base, and let
    the apps above stop what the base may still do (its API keys)."""
    InstitutionBar.objects.create(
        institution=base.institution,
        reason=InstitutionBar.Reason.BASE_REVOKED,
        detail=comment,
        recorded_by=actor,
    )
    notice_publish(
        actor=actor,
        kind=Notice.Kind.REVOCATION,
        title=_("关于取消%(b)s继续教育基地资格的公告") % {"b": base.name},
        body=_revocation_body(base, comment, cause),
        authority=base.approving_authority,
        base=base,
    )
    if not base.counts_as_provincial:
        Filing.objects.create(
            base=base, kind=Filing.Kind.CHANGE, filed_by=base.approving_authority, filed_with=provincial_hr()
        )
    run_revocation_effects(actor=actor, base=base, reasons=comment)


BASE = Machine(
    name="base",
    noun=gettext_lazy("基地"),
    model=Base,
    visible_to=bases_visible_to,
    organization=lambda base: base.approving_authority,
    state_field="status",
    related=("institution", "approving_authority"),
    transitions=[
        Transition(
            "start_rectification",
            gettext_lazy("责令整改"),
            (B.ACTIVE,),
            B.RECTIFICATION,
            is_supervising_staff,
        ),
        Transition(
            "end_rectification",
            gettext_lazy("整改完成，恢复正常"),
            (B.RECTIFICATION,),
            B.ACTIVE,
            is_supervising_staff,
        ),
        Transition(
            "revoke",
            gettext_lazy("撤销基地资格"),
            (B.ACTIVE, B.RECTIFICATION),
            B.REVOKED,
            is_supervising_staff,
            effect=_on_revoke,
            event="revoked",
            needs_comment=True,
            style="danger",
            confirm=gettext_lazy("撤销后将公告，并不再受理该机构的申请。确定撤销？"),
        ),
    ],
)
