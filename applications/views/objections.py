"""Publicity (公示, R-17): anyone lodges an objection on the notice's page; the authority resolves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import client_ip_from_request
from bases.models import Notice
from bases.selectors import notice_get_public
from kit.pages import showing_refusal
from kit.ratelimits import limit

from .. import services
from ..forms import ObjectionForm, ObjectionResolveForm
from ..models import ApplicationState
from .common import application_or_404


def objection_panel(notice, form=None) -> dict:
    """The objection form of a 公示 notice's page, while its publicity period runs (registered in ready())."""
    application = notice.application
    return {
        "objection_open": application is not None
        and application.state == ApplicationState.PUBLICITY
        and notice.open_until is not None
        and timezone.localdate() <= notice.open_until,
        "objection_url": reverse("publicity:objection", args=[notice.pk]),
        "form": form or ObjectionForm(),
    }


@require_POST
@limit("objection", method="POST")
def objection_lodge(request, pk):
    notice = notice_get_public(pk)
    if notice is None or notice.kind != Notice.Kind.PUBLICITY or notice.application is None:
        raise Http404
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with showing_refusal(request, form):
            services.objection_lodge(
                application=notice.application,
                name=data["name"],
                phone=data["phone"],
                content=data["content"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
            messages.success(request, _("您的异议已提交，认定部门将在公布前核实处理。"))
            return redirect("bases:notice", pk=notice.pk)
    context = {"notice": notice, "active_nav": "notices", **objection_panel(notice, form)}
    return render(request, "bases/notice_detail.html", {**context, "objection_open": True}, status=400)


@login_required
@require_POST
def objection_resolve(request, pk, objection_id):
    app = application_or_404(request, pk)
    form = ObjectionResolveForm(request.POST)
    if form.is_valid():
        with showing_refusal(request):
            services.objection_resolve(
                actor=request.user,
                objection_id=objection_id,
                upheld=form.cleaned_data["upheld"],
                outcome=form.cleaned_data["outcome"],
            )
            messages.success(request, _("已处理该异议。"))
    else:
        messages.error(request, _("请选择处理结论并填写处理结果。"))
    return redirect(reverse("applications:detail", args=[app.pk]) + "#objections")
