"""Pages that show an application: the list, the file itself, its Excel form and its versions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from kit.pages import render_list

from .. import selectors, services, workflow
from ..documents import version_fingerprint
from ..excel import application_workbook_response
from ..forms import (
    ApplicationFilterForm,
    ExpertAssignForm,
    ExpertDrawForm,
    ObjectionResolveForm,
    ReturnForm,
    SiteVisitForm,
)
from ..models import AttachmentKind, ExpertAssignment
from ..permissions import (
    can_edit_application,
    can_read_expert_review,
    can_run_panel,
    is_applicant,
    is_reviewer,
)
from ..rules import article8_checklist, staff_counts
from ..snapshot import diff_snapshots
from ..todos import next_step
from .common import application_or_404


@login_required
def application_list(request):
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Filtered by one batch, the authority's reviewer may act on several of its applications at once.
    batch = selectors.panel_batch(user=request.user, pk=filters["batch"]) if filters.get("batch") else None
    return render_list(
        request,
        "applications/application_list.html",
        selectors.application_list(user=request.user, filters=filters),
        form=form,
        bulk_batch=batch if batch is not None and can_run_panel(request.user, batch) else None,
        bulk_actions=services.BULK_ACTIONS,
        active_nav="applications",
    )


@login_required
def application_detail(request, pk):
    app = application_or_404(request, pk)
    user = request.user
    authority_view = can_read_expert_review(user, app)
    may_choose = is_reviewer(user, app) and app.state == "demonstration"
    assignments, average = selectors.assignments_for_authority(app) if authority_view else ([], None)
    context = {
        "app": app,
        "checklist": article8_checklist(app),
        "counts": staff_counts(app),
        "actions": workflow.MACHINE.action_states(app, user),
        "next_step": next_step(app),
        "can_edit": can_edit_application(user, app),
        "is_applicant": is_applicant(user, app),
        "is_reviewer": is_reviewer(user, app),
        "authority_view": authority_view,
        "assignments": assignments,
        "average": average,
        "spread": selectors.score_spread(assignments),
        "assign_form": ExpertAssignForm(application=app) if may_choose else None,
        "draw_form": ExpertDrawForm() if may_choose else None,
        "draws": list(app.expert_draws.all()) if authority_view else [],
        "not_serving": ExpertAssignment.NOT_SERVING,
        "replaced": {d.replaces_id for d in app.expert_draws.all() if d.replaces_id} if may_choose else set(),
        "site_visit_form": SiteVisitForm() if is_reviewer(user, app) and app.state == "site_visit" else None,
        "panel_link": is_reviewer(user, app) and app.state == "panel_review",
        "site_visits": app.site_visits.all(),
        # The panel's resolutions are the authority's: the approver decides from them.
        "panel_resolutions": app.panel_resolutions.select_related("meeting").order_by("-id")
        if authority_view
        else [],
        "objections": app.objections.select_related("evidence") if authority_view else [],
        "resolve_form": ObjectionResolveForm(),
        "return_form": ReturnForm(),
        "comments": app.section_comments.all(),
        "decisions": app.decisions.select_related("decided_by"),
        "history": selectors.application_history(user=user, application=app),
        "attachments": [
            a for a in app.attachments.all() if a.is_current and a.kind != AttachmentKind.OBJECTION_EVIDENCE
        ],
        "active_nav": "applications",
    }
    return render(request, "applications/application_detail.html", context)


@login_required
def application_excel(request, pk):
    app = application_or_404(request, pk)
    return application_workbook_response(app)


@login_required
def version_detail(request, pk, number):
    app = application_or_404(request, pk)
    version = get_object_or_404(app.versions, number=number)
    previous = app.versions.filter(number=number - 1).first()
    changes = diff_snapshots(previous.data, version.data) if previous else None
    return render(
        request,
        "applications/version_detail.html",
        {
            "app": app,
            "version": version,
            "previous": previous,
            "changes": changes,
            "fingerprint": version_fingerprint(version),
            "active_nav": "applications",
        },
    )
