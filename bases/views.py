"""Public notices (公示 with the objection form, 公布) and the provincial list of filed bases (R-03)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import DomainError
from accounts.jurisdiction import actor_for
from accounts.models import Organization
from audit.context import client_ip_from_request
from portal.forms_errors import apply_domain_error
from portal.pagination import paginate

from . import selectors
from .models import Notice


def notice_list(request):
    kind = request.GET.get("kind", "")
    authority = request.GET.get("authority", "")
    notices = selectors.notice_list_public(kind=kind, authority_id=authority)
    authorities = Organization.objects.filter(notices__isnull=False).distinct().order_by("kind", "name")
    return render(
        request,
        "bases/notice_list.html",
        {
            "page": paginate(request, notices, per_page=20),
            "kinds": Notice.Kind.choices,
            "kind": kind,
            "authority": authority,
            "authorities": authorities,
            "active_nav": "notices",
        },
    )


def notice_detail(request, pk):
    from applications.forms import ObjectionForm

    notice = selectors.notice_get_public(pk)
    if notice is None:
        raise Http404
    objection_open = (
        notice.kind == Notice.Kind.PUBLICITY
        and notice.application is not None
        and notice.application.state == "publicity"
        and notice.open_until is not None
        and timezone.localdate() <= notice.open_until
    )
    return render(
        request,
        "bases/notice_detail.html",
        {
            "notice": notice,
            "objection_open": objection_open,
            "form": ObjectionForm(),
            "active_nav": "notices",
        },
    )


@require_POST
def objection_lodge(request, pk):
    from applications.forms import ObjectionForm
    from applications.services import objection_lodge as lodge

    notice = selectors.notice_get_public(pk)
    if notice is None or notice.kind != Notice.Kind.PUBLICITY or notice.application is None:
        raise Http404
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            lodge(
                application=notice.application,
                name=data["name"],
                phone=data["phone"],
                content=data["content"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("您的异议已提交，认定部门将在公布前核实处理。"))
            return redirect("bases:notice", pk=notice.pk)
    return render(
        request,
        "bases/notice_detail.html",
        {"notice": notice, "objection_open": True, "form": form, "active_nav": "notices"},
        status=400,
    )


@login_required
def filed_bases(request):
    if not actor_for(request.user).is_provincial:
        raise Http404
    filings = selectors.filed_bases_for(request.user)
    return render(
        request,
        "bases/filed_bases.html",
        {"page": paginate(request, filings, per_page=30), "active_nav": "filed"},
    )
