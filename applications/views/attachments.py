"""Documents of an application: upload, remove, and download for those who may see them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from kit.pages import found_or_404, show_form_errors, showing_refusal, stored_file_response

from .. import selectors, services
from ..forms import AttachmentForm
from ..models import Attachment, AttachmentKind
from ..permissions import is_applicant, is_approver, is_reviewer
from .common import application_or_404
from .edit import STEP_KEYS


def _return_step(request):
    """Return the form step the upload or removal was made from, to go back to it."""
    return request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "review"


@login_required
@require_POST
def attachment_upload(request, pk):
    app = application_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    step = _return_step(request)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        with showing_refusal(request):
            services.attachment_upload(
                actor=request.user,
                application=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("已上传“%(n)s”。") % {"n": form.cleaned_data["file"].name})
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    app = application_or_404(request, pk)
    step = _return_step(request)
    with showing_refusal(request):
        services.attachment_remove(actor=request.user, application=app, attachment_id=attachment_id)
        messages.success(request, _("已删除该材料。"))
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
def attachment_download(request, attachment_id):
    """Serve a stored document only to people who may see its application (objection evidence: authority only)."""
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    app = found_or_404(
        selectors.visible_to(request.user)
        .filter(pk=attachment.application_id)
        .select_related("batch")
        .first()
    )
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
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
