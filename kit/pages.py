"""Helpers for HTML views: show a service's refusal, run a POSTed transition, list a page, serve a file.

Views stay thin with these: the try/except around a service call and the page messages it ends in are the
same everywhere, so they live here once; the service calls themselves stay in the views, spelt out. Like the
rest of kit, this imports only Django.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import DomainError
from .forms_errors import apply_domain_error
from .pagination import paginate


def found_or_404(obj):
    """Return what a selector found, or raise Http404 when it found nothing."""
    if obj is None:
        raise Http404
    return obj


def render_list(request, template, rows, *, per_page=20, **context):
    """Render a list page: the requested page of `rows` as `page`, beside the rest of the context."""
    return render(request, template, {"page": paginate(request, rows, per_page=per_page), **context})


@contextmanager
def showing_refusal(request, form=None, *, message_only=False):
    """Run the block; if a service refuses it (a `DomainError`), show why and carry on after the block.

    The refusal goes on `form` when one is given, else into the page messages: its message and its field
    errors, or with `message_only` the message alone. What follows the service call inside the block (the
    success message, the redirect) runs only when the call went through, like the `else` of a `try`.
    """
    try:
        yield
    except DomainError as exc:
        if message_only:
            messages.error(request, exc.message)
        else:
            apply_domain_error(request, exc, form)


def transition_from_post(request, machine, obj, *, extra=None, show_refusal=None) -> bool:
    """Run the transition the POST names in `action` on `obj`; show the outcome; return whether it went through.

    `machine` is a workflow machine (engine.Machine; kit only calls its `run` and `table`). A refusal shows its
    message, or goes to `show_refusal(request, exc)` when the page says more about it.
    """
    action = request.POST.get("action", "")
    try:
        machine.run(obj, action, actor=request.user, comment=request.POST.get("comment", ""), **(extra or {}))
    except DomainError as exc:
        if show_refusal is None:
            messages.error(request, exc.message)
        else:
            show_refusal(request, exc)
        return False
    messages.success(request, _("已完成：%(a)s。") % {"a": machine.table[action].label})
    return True


def show_form_errors(request, form) -> None:
    """Show every error of an invalid form as a page message (for POST-only views that redirect)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def stored_file_response(file, *, filename, content_type):
    """Serve a stored upload as a download the browser will not sniff into something else."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
