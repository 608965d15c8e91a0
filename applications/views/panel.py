"""The batch's panel sheet (评审汇总表): the ranked applications, the meeting's resolutions, the Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.errors import DomainError
from kit.ints import safe_int
from kit.pages import found_or_404

from .. import selectors, services
from ..excel import panel_sheet_response
from ..forms import PanelMeetingForm
from ..permissions import can_run_panel


@login_required
def panel_sheet(request, batch_id):
    batch = found_or_404(selectors.panel_batch(user=request.user, pk=batch_id))
    rows = selectors.panel_sheet(user=request.user, batch=batch)
    may_record = can_run_panel(request.user, batch)
    form = None
    if may_record and any(row.awaits_resolution for row in rows):
        form = PanelMeetingForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.panel_resolutions_record(
                actor=request.user,
                batch=batch,
                held_on=form.cleaned_data["held_on"],
                members=form.cleaned_data["members"],
                resolutions=form.resolutions(),
            )
        except DomainError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已录入 %(n)d 项申报的评审会结论。") % {"n": len(form.resolutions())})
            return redirect("applications:panel", batch_id=batch.pk)
    return render(
        request,
        "applications/panel_sheet.html",
        {
            "batch": batch,
            "lines": [
                (row, form.row_fields(row.application.pk) if form and row.awaits_resolution else None)
                for row in rows
            ],
            "form": form,
            "active_nav": "applications",
        },
        status=400 if request.method == "POST" and form is not None and form.errors else 200,
    )


@login_required
def panel_excel(request, batch_id):
    batch = found_or_404(selectors.panel_batch(user=request.user, pk=batch_id))
    return panel_sheet_response(batch, selectors.panel_sheet(user=request.user, batch=batch))


@login_required
@require_POST
def applications_bulk(request, batch_id):
    """Run one action on the applications ticked on the batch's list and show what happened to each."""
    batch = found_or_404(selectors.panel_batch(user=request.user, pk=batch_id))
    ids = [safe_int(v, None) for v in request.POST.getlist("applications")]
    if None in ids:
        raise BadRequest(_("申报编号无效。"))
    try:
        results = services.applications_bulk(
            actor=request.user, batch=batch, action=request.POST.get("action", ""), application_ids=ids
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('applications:list')}?batch={batch.pk}")
    return render(
        request,
        "applications/bulk_results.html",
        {
            "batch": batch,
            "label": services.BULK_ACTIONS[request.POST["action"]],
            "results": results,
            "done": sum(1 for r in results if r.done),
            "active_nav": "applications",
        },
    )
