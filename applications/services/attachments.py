"""The draft's documents: checked uploads, one per single kind (rules, licences), many otherwise."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible
from kit.uploads import check_upload, stored_file_fields

from ..models import (
    Application,
    Attachment,
    AttachmentKind,
)
from .drafts import lock_editable

APPLICANT_KINDS = {k.value for k in AttachmentKind} - {
    AttachmentKind.SITE_VISIT,
    AttachmentKind.OBJECTION_EVIDENCE,
}
SINGLE_KINDS = {k.value for k in AttachmentKind if k.value.startswith("rule_")} | {
    AttachmentKind.QUALIFICATION
}


def attachment_store(application, kind, upload, actor) -> Attachment:
    return Attachment.objects.create(
        application=application,
        kind=kind,
        **stored_file_fields(upload),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def attachment_upload(*, actor, application: Application, kind: str, upload) -> Attachment:
    """Attach a document to the applicant's draft. A rule or qualification document replaces the previous one."""
    if kind not in APPLICANT_KINDS:
        raise InvalidInput(_("材料类别无效。"), field_errors={"kind": [_("材料类别无效。")]})
    check_upload(upload)  # before the lock: a bad file changes nothing
    with transaction.atomic():
        app = lock_editable(actor, application)
        if kind in SINGLE_KINDS:
            app.attachments.filter(kind=kind, is_current=True).update(is_current=False)
        attachment = attachment_store(app, kind, upload, actor)
        audit_record(
            actor=actor,
            action="application.attachment_uploaded",
            obj=app,
            organization=app.institution,
            comment=f"{kind}: {attachment.original_name}",
        )
    return attachment


def attachment_remove(*, actor, application: Application, attachment_id: int) -> None:
    with transaction.atomic():
        app = lock_editable(actor, application)
        attachment = app.attachments.filter(pk=attachment_id, is_current=True).first()
        if attachment is None:
            raise NotVisible(_("未找到该材料。"))
        app.attachments.filter(pk=attachment.pk).update(is_current=False)
        audit_record(
            actor=actor,
            action="application.attachment_removed",
            obj=app,
            organization=app.institution,
            # The kind and the file's name, as an upload records them: the history says which one went.
            comment=f"{attachment.kind}: {attachment.original_name}",
        )
