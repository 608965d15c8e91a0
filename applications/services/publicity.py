"""Site visit (考察) and the objections of 公示 (R-17)."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from accounts.models import Role
from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.uploads import check_upload
from notifications.services import notify

from .. import workflow
from ..effects import reviewers
from ..models import (
    Application,
    AttachmentKind,
    Objection,
    SiteVisit,
)
from ..permissions import is_reviewer
from ..selectors import visible_to
from .attachments import attachment_store

# Public objections: at most this many per IP address and per phone number in a rolling hour.
OBJECTION_RATE_LIMIT = 5


def site_visit_record(
    *, actor, application, visit_date, members: str, findings: str, passed: bool, uploads=()
) -> SiteVisit:
    for upload in uploads:
        check_upload(upload)
    with transaction.atomic():
        app = workflow.MACHINE.lock(application, actor)
        if not is_reviewer(actor, app):
            raise PermissionRefused(_("只有认定部门的审核员可以录入考察结果。"))
        if app.state != Application.State.SITE_VISIT:
            raise WrongState(_("只有处于实地考察阶段的申报可以录入考察结果。"))
        if visit_date > timezone.localdate():
            raise InvalidInput(
                _("考察日期不能晚于今天。"), field_errors={"visit_date": [_("考察日期不能晚于今天。")]}
            )
        visit = SiteVisit.objects.create(
            application=app,
            visit_date=visit_date,
            members=members,
            findings=findings,
            passed=passed,
            recorded_by=actor,
        )
        for upload in uploads:
            attachment_store(app, AttachmentKind.SITE_VISIT, upload, actor)
        audit_record(
            actor=actor,
            action="application.site_visit_recorded",
            obj=app,
            organization=app.batch.approving_authority,
            comment=("passed" if passed else "failed") + f" {visit_date}",
        )
    return visit


def _check_objection(*, name, phone, content) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = [_("请填写姓名。")]
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        errors["phone"] = [_("请填写有效的联系电话。")]
    if len(content.strip()) < 10:
        errors["content"] = [_("请具体说明异议内容（不少于 10 个字）。")]
    if errors:
        raise InvalidInput(_("异议信息不完整。"), field_errors=errors)


def _check_objection_rate(*, phone, ip_address) -> None:
    """Refuse a flood of objections from one address or one phone number within an hour."""
    recent = Objection.objects.filter(lodged_at__gte=timezone.now() - timedelta(hours=1))
    if (ip_address and recent.filter(ip_address=ip_address).count() >= OBJECTION_RATE_LIMIT) or recent.filter(
        phone=phone.strip()
    ).count() >= OBJECTION_RATE_LIMIT:
        raise PermissionRefused(_("提交过于频繁，请一小时后再试。"))


def objection_lodge(
    *, application, name: str, phone: str, content: str, evidence=None, ip_address=None
) -> Objection:
    """Anyone may object during the publicity period, with name and phone (no anonymous objections)."""
    _check_objection(name=name, phone=phone, content=content)
    if evidence is not None:
        check_upload(evidence)
    with transaction.atomic():
        # The public has no visible_to: the row is locked directly and the period checked under the lock.
        app = Application.objects.select_for_update().select_related("batch").get(pk=application.pk)
        if (
            app.state != Application.State.PUBLICITY
            or app.publicity_ends_on is None
            or timezone.localdate() > app.publicity_ends_on
        ):
            raise WrongState(_("该公示已结束，不再受理异议。"))
        _check_objection_rate(phone=phone, ip_address=ip_address)
        attachment = (
            attachment_store(app, AttachmentKind.OBJECTION_EVIDENCE, evidence, None)
            if evidence is not None
            else None
        )
        objection = Objection.objects.create(
            application=app,
            name=name.strip(),
            phone=phone.strip(),
            content=content.strip(),
            evidence=attachment,
            ip_address=ip_address,
        )
        # The objector's identity stays out of the audit comment: it is visible to the authority only.
        audit_record(
            actor=None,
            action="application.objection_lodged",
            obj=app,
            organization=app.batch.approving_authority,
            comment=f"objection #{objection.pk}",
            ip_address=ip_address,
        )
        notify(
            users=list(reviewers(app)),
            kind="application.objection_lodged",
            title=_("公示收到异议：%(name)s") % {"name": app.base_name},
            body=_("请在公布前处理该异议。"),
            url=reverse("applications:detail", args=[app.pk]),
        )
    return objection


def objection_resolve(*, actor, objection_id: int, upheld: bool, outcome: str) -> Objection:
    """The approving authority resolves an objection with a recorded outcome."""
    if not outcome.strip():
        raise InvalidInput(_("请填写处理结果。"), field_errors={"outcome": [_("请填写处理结果。")]})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().filter(pk=objection_id).first()
        if objection is None or not visible_to(actor).filter(pk=objection.application_id).exists():
            raise NotVisible(_("未找到该异议。"))
        app = objection.application
        if not (
            is_reviewer(actor, app)
            or actor_for(actor).has_role(Role.AUTHORITY_APPROVER, app.batch.approving_authority_id)
        ):
            raise PermissionRefused(_("只有认定部门可以处理异议。"))
        if objection.status != Objection.Status.OPEN:
            raise WrongState(_("该异议已处理。"))
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.outcome = outcome.strip()
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["status", "outcome", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="application.objection_resolved",
            obj=app,
            organization=app.batch.approving_authority,
            from_state="open",
            to_state=objection.status,
            comment=objection.outcome,
        )
    return objection
