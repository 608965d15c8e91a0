"""Pages of the application batches: list, create, and start an application in one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from accounts.models import Organization
from kit.ints import required_int
from kit.pages import render_list, showing_refusal

from .. import selectors, services
from ..forms import BatchForm
from ..permissions import can_manage_batches, can_read_panel
from ..rules import bar_reason


@login_required
def batch_list(request):
    actor = actor_for(request.user)
    batches = selectors.batch_list(user=request.user)
    authorities = Organization.objects.filter(pk__in=actor.authority_ids)
    can_create = any(can_manage_batches(request.user, a) for a in authorities)
    institutions = Organization.objects.filter(pk__in=actor.institution_ids, kind="institution")
    barred = {inst.pk: bar_reason(inst) for inst in institutions}
    return render_list(
        request,
        "applications/batch_list.html",
        batches,
        can_create=can_create,
        institutions=institutions,
        barred=barred,
        active_nav="batches",
    )


@login_required
def batch_detail(request, batch_id):
    """One batch with its window and the button that starts an application in it (我的待办 links here)."""
    batch = selectors.batch_detail(user=request.user, pk=batch_id)
    if batch is None:
        raise Http404
    actor = actor_for(request.user)
    institutions = Organization.objects.filter(pk__in=actor.institution_ids, kind="institution")
    return render(
        request,
        "applications/batch_detail.html",
        {
            "batch": batch,
            "institutions": institutions,
            "barred": {inst.pk: bar_reason(inst) for inst in institutions},
            "can_read_panel": can_read_panel(request.user, batch),
            "active_nav": "batches",
        },
    )


@login_required
def batch_create(request):
    actor = actor_for(request.user)
    authorities = Organization.objects.filter(pk__in=list(actor.authority_ids))
    authorities = authorities.filter(
        pk__in=[a.pk for a in authorities if can_manage_batches(request.user, a)]
    )
    if not authorities.exists():
        raise Http404
    form = BatchForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusal(request, form):
            batch = services.batch_create(
                actor=request.user,
                authority=data["authority"],
                title=data["title"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                requires_recommendation=data["requires_recommendation"],
                publicity_working_days=data["publicity_working_days"],
            )
            messages.success(request, _("已创建申报批次“%(t)s”。") % {"t": batch.title})
            return redirect("applications:batches")
    return render(request, "applications/batch_form.html", {"form": form, "active_nav": "batches"})


@login_required
@require_POST
def application_start(request, batch_id):
    batch = selectors.batch_detail(user=request.user, pk=batch_id)
    actor = actor_for(request.user)
    institution_id = required_int(request.POST.get("institution"), _("请选择申报的施教机构。"), lo=1)
    institution = Organization.objects.filter(pk__in=actor.institution_ids, pk=institution_id).first()
    if batch is None or institution is None:
        raise Http404
    with showing_refusal(request, message_only=True):
        app = services.application_create(actor=request.user, batch=batch, institution=institution)
        messages.success(request, _("已创建申报草稿，每一步都会自动保存，可随时继续填写。"))
        return redirect("applications:edit", pk=app.pk, step="institution")
    return redirect("applications:batches")
