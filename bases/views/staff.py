"""Pages for staff: the bases they manage, a base's history, filed bases and evidence downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.jurisdiction import actor_for
from kit.pages import found_or_404, render_list, stored_file_response

from .. import selectors
from ..models import Evidence
from ..permissions import can_import_bases, can_request_change


@login_required
def base_manage_list(request):
    bases = (
        selectors.bases_visible_to(request.user)
        .select_related("institution", "approving_authority")
        .order_by("name")
    )
    changes = (
        selectors.change_requests_visible_to(request.user)
        .select_related("base")
        .filter(state__in=["submitted", "returned"])
    )
    reports = selectors.reports_visible_to(request.user).select_related("base").filter(status="open")
    return render_list(
        request,
        "bases/manage_list.html",
        bases,
        per_page=30,
        open_changes=changes[:50],
        open_reports=reports[:50],
        can_import=can_import_bases(request.user),
        active_nav="bases",
    )


@login_required
def base_history(request, pk):
    base = found_or_404(
        selectors.bases_visible_to(request.user).filter(pk=pk).select_related("institution").first()
    )
    versions = base.versions.select_related("approved_by", "change_request").order_by("-number")
    changes = base.change_requests.select_related("requested_by", "decided_by").order_by("-created_at")
    return render(
        request,
        "bases/base_history.html",
        {
            "base": base,
            "versions": versions,
            "changes": changes,
            "history": selectors.base_history(base),
            "can_request": can_request_change(request.user, base),
            "active_nav": "bases",
        },
    )


@login_required
def filed_bases(request):
    if not actor_for(request.user).is_provincial:
        raise Http404
    return render_list(
        request,
        "bases/filed_bases.html",
        selectors.filed_bases_for(request.user),
        per_page=30,
        active_nav="filed",
    )


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence, pk=pk)
    if evidence.change_request_id:
        allowed = (
            selectors.change_requests_visible_to(request.user).filter(pk=evidence.change_request_id).exists()
        )
    else:
        allowed = selectors.reports_visible_to(request.user).filter(pk=evidence.report_id).exists()
    if not allowed:
        raise Http404
    return stored_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
