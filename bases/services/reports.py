"""Misconduct reports (R-29): anyone may report a base; the approving authority triages."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.uploads import check_upload
from notifications.services import notify

from ..models import Base, MisconductReport
from ..permissions import can_triage_report
from ..uploads import store_evidence

REPORT_RATE_LIMIT = 5  # per IP address and per phone number, in a rolling hour


def misconduct_report_create(
    *, base, category, description, reporter_name, reporter_phone, evidence=None, ip_address=None
):
    """Anyone may report a base for conduct Art. 25 forbids; name and phone are required; a receipt code
    lets the reporter look up the outcome later."""
    errors = {}
    if category not in MisconductReport.Category.values:
        errors["category"] = [_("请选择举报类别。")]
    if len((description or "").strip()) < 10:
        errors["description"] = [_("请具体说明举报内容（不少于 10 个字）。")]
    if not (reporter_name or "").strip():
        errors["reporter_name"] = [_("请填写姓名。")]
    digits = "".join(ch for ch in reporter_phone or "" if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        errors["reporter_phone"] = [_("请填写有效的联系电话。")]
    if errors:
        raise InvalidInput(_("举报信息不完整。"), field_errors=errors)
    if base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地已被撤销。"))
    if evidence is not None:
        check_upload(evidence)
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = MisconductReport.objects.filter(created_at__gte=hour_ago)
    if (ip_address and recent.filter(ip_address=ip_address).count() >= REPORT_RATE_LIMIT) or recent.filter(
        reporter_phone=reporter_phone.strip()
    ).count() >= REPORT_RATE_LIMIT:
        raise PermissionRefused(_("提交过于频繁，请一小时后再试。"))
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    with transaction.atomic():
        report = MisconductReport.objects.create(
            base=base,
            category=category,
            description=description.strip(),
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            receipt_code="".join(secrets.choice(alphabet) for _i in range(12)),
            ip_address=ip_address,
        )
        if evidence is not None:
            store_evidence(evidence, report=report)
        audit_record(
            actor=None,
            action="report.lodged",
            obj=report,
            organization=base.approving_authority,
            comment=category,
            ip_address=ip_address,
        )
        notify(
            users=users_with(base.approving_authority_id, Role.AUTHORITY_REVIEWER),
            kind="report.lodged",
            title=_("收到违规举报：%(b)s") % {"b": base.name},
            url=reverse("bases:report", args=[report.pk]),
        )
    return report


def misconduct_report_triage(*, actor, report, decision: str, outcome: str):
    """The approving authority dismisses a report with a reason, or sends it to a spot check (R-29)."""
    if decision not in (MisconductReport.Status.DISMISSED, MisconductReport.Status.SPOT_CHECK):
        raise InvalidInput(_("处理决定无效。"), field_errors={"decision": [_("处理决定无效。")]})
    if not (outcome or "").strip():
        raise InvalidInput(_("请填写处理意见。"), field_errors={"outcome": [_("请填写处理意见。")]})
    with transaction.atomic():
        locked = MisconductReport.objects.select_for_update().select_related("base").get(pk=report.pk)
        if not can_triage_report(actor, locked):
            raise NotVisible(_("未找到该举报。"))
        if locked.status != MisconductReport.Status.OPEN:
            raise WrongState(_("该举报已处理。"))
        before = locked.status
        locked.status, locked.outcome = decision, outcome.strip()
        locked.triaged_by, locked.triaged_at = actor, timezone.now()
        locked.save(update_fields=["status", "outcome", "triaged_by", "triaged_at"])
        audit_record(
            actor=actor,
            action="report.triaged",
            obj=locked,
            organization=locked.base.approving_authority,
            from_state=before,
            to_state=decision,
            comment=locked.outcome,
        )
    return locked
