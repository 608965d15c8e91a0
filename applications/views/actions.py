"""The workflow step an application page POSTs: submit, return, approve and the rest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.errors import DomainError

from .. import workflow
from ..forms import (
    ReturnForm,
)
from .common import application_or_404


@login_required
@require_POST
def application_transition(request, pk):
    app = application_or_404(request, pk)
    action = request.POST.get("action", "")
    data = {}
    if action == "return":
        form = ReturnForm(request.POST)
        form.is_valid()
        data["section_comments"] = form.section_comments()
    try:
        workflow.transition(app, action, request.user, comment=request.POST.get("comment", ""), **data)
    except DomainError as exc:
        messages.error(request, exc.message)
        for reason in getattr(exc, "reasons", []):
            messages.error(request, reason)
        for field, errors in exc.field_errors.items():
            if field not in ("unmet",):
                for e in errors if isinstance(errors, list) else [errors]:
                    messages.error(request, e)
        if action == "submit":
            return redirect("applications:edit", pk=app.pk, step="review")
    else:
        spec = workflow.TRANSITIONS[action]
        messages.success(request, _("已完成：%(a)s。") % {"a": spec.label})
    return redirect("applications:detail", pk=app.pk)
