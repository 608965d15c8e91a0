"""The workflow step an application page POSTs: submit, return, approve and the rest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kit.pages import transition_from_post

from .. import workflow
from ..forms import ReturnForm
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
    done = transition_from_post(request, workflow.MACHINE, app, extra=data, show_refusal=_show_refusal)
    if not done and action == "submit":
        return redirect("applications:edit", pk=app.pk, step="review")
    return redirect("applications:detail", pk=app.pk)


def _show_refusal(request, exc) -> None:
    """Show why the step was refused: its message, each unmet condition and the field errors."""
    messages.error(request, exc.message)
    for reason in getattr(exc, "reasons", []):
        messages.error(request, reason)
    for field, errors in exc.field_errors.items():
        if field not in ("unmet",):
            for e in errors if isinstance(errors, list) else [errors]:
                messages.error(request, e)
