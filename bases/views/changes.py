"""Change requests to a base's registered facts: propose, review, resubmit, decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.pages import found_or_404, showing_refusal, transition_from_post

from .. import selectors, services, workflow
from ..forms import ChangeRequestForm
from ..models import ChangeRequest
from ..permissions import can_request_change


@login_required
def change_request_new(request, pk):
    base = selectors.bases_visible_to(request.user).filter(pk=pk).first()
    if base is None or not can_request_change(request.user, base):
        raise Http404
    facts = services.base_facts(base)
    form = ChangeRequestForm(
        request.POST or None, request.FILES or None, initial=ChangeRequestForm.initial_from(facts)
    )
    if request.method == "POST" and form.is_valid():
        with showing_refusal(request, form):
            cr = services.change_request_create(
                actor=request.user,
                base=base,
                proposed=form.proposed(),
                reasons=form.cleaned_data["reasons"],
                evidence=[form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else [],
            )
            messages.success(request, _("变更申请已提交，待批准部门审批。"))
            return redirect("bases:change", pk=cr.pk)
    return render(request, "bases/change_form.html", {"base": base, "form": form, "active_nav": "bases"})


@login_required
def change_request_detail(request, pk):
    cr = found_or_404(
        selectors.change_requests_visible_to(request.user)
        .select_related("base__institution", "base__approving_authority", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    current = services.base_facts(cr.base)
    resubmit_form = None
    if cr.state == ChangeRequest.State.RETURNED and can_request_change(request.user, cr.base):
        resubmit_form = ChangeRequestForm(
            request.POST or None, initial=ChangeRequestForm.initial_from(cr.proposed, cr.reasons)
        )
        if request.method == "POST" and resubmit_form.is_valid():
            with showing_refusal(request, resubmit_form):
                workflow.MACHINE.run(
                    cr,
                    "resubmit",
                    actor=request.user,
                    proposed=resubmit_form.proposed(),
                    reasons=resubmit_form.cleaned_data["reasons"],
                )
                messages.success(request, _("已重新提交。"))
                return redirect("bases:change", pk=cr.pk)
    before = cr.base.versions.filter(change_request=cr).first()
    compare_from = (
        current
        if cr.state != ChangeRequest.State.APPROVED
        else (
            cr.base.versions.filter(number=before.number - 1).first().facts
            if before and before.number > 1
            else {}
        )
    )
    actions = workflow.MACHINE.available(cr, request.user)
    return render(
        request,
        "bases/change_detail.html",
        {
            "cr": cr,
            "rows": services.change_rows(compare_from, cr.proposed),
            "increases": services.fee_increases(compare_from.get("fees", []), cr.proposed["fees"])
            if compare_from
            else [],
            "actions": actions,
            # Resubmitting is pressed from its own form, not offered as a button, yet it is the base's next step.
            "panel_actions": ([workflow.MACHINE.transition("resubmit")] if resubmit_form else []) + actions,
            "next_step": selectors.change_request_next_step(cr),
            "history": selectors.change_request_history(cr),
            "resubmit_form": resubmit_form,
            "evidence": cr.evidence.all(),
            "active_nav": "bases",
        },
    )


@login_required
@require_POST
def change_request_transition(request, pk):
    cr = found_or_404(selectors.change_requests_visible_to(request.user).filter(pk=pk).first())
    transition_from_post(request, workflow.MACHINE, cr)
    return redirect("bases:change", pk=cr.pk)
