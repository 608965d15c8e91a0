"""Documents of an application: upload, remove, and download for those who may see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from kit.errors import DomainError
from kit.forms_errors import apply_domain_error

from .. import selectors, services
from ..forms import (
    AttachmentForm,
)
from ..models import Attachment, AttachmentKind
from ..permissions import is_applicant, is_approver, is_reviewer
from .common import application_or_404
from .edit import STEP_KEYS


@login_required
@require_POST
def attachment_upload(request, pk):
    app = application_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    step = request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "review"
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        try:
            services.attachment_upload(
                actor=request.user,
                application=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc)
        else:
            messages.success(request, _("已上传“%(n)s”。") % {"n": form.cleaned_data["file"].name})
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    app = application_or_404(request, pk)
    step = request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "review"
    try:
        services.attachment_remove(actor=request.user, application=app, attachment_id=attachment_id)
    except DomainError as exc:
        apply_domain_error(request, exc)
    else:
        messages.success(request, _("已删除该材料。"))
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
def attachment_download(request, attachment_id):
    """Serve a stored document only to people who may see its application (objection evidence: authority only)."""
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    app = (
        selectors.visible_to(request.user)
        .filter(pk=attachment.application_id)
        .select_related("batch")
        .first()
    )
    if app is None:
        raise Http404
    if attachment.kind == AttachmentKind.OBJECTION_EVIDENCE and not (
        is_reviewer(request.user, app)
        or is_approver(request.user, app)
        or actor_for(request.user).is_provincial
    ):
        raise Http404
    if (
        actor_for(request.user).is_expert
        and not (is_applicant(request.user, app) or is_reviewer(request.user, app))
        and attachment.kind in (AttachmentKind.SITE_VISIT, AttachmentKind.OBJECTION_EVIDENCE)
    ):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
