"""Publicity: the authority resolves an objection lodged against an application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.pages import showing_refusal

from .. import services
from ..forms import ObjectionResolveForm
from .common import application_or_404


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
