"""The expert pool's pages: the pool an authority draws from, and an expert's profile with past assignments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from kit.errors import DomainError
from kit.forms_errors import form_add_domain_error
from kit.pages import render_list

from .. import selectors, services
from ..forms import ExpertProfileForm


@login_required
def expert_pool(request):
    actor = actor_for(request.user)
    if not (actor.authority_ids or actor.is_provincial):
        raise Http404
    return render_list(
        request,
        "applications/expert_pool.html",
        selectors.expert_pool_list(user=request.user),
        active_nav="applications",
    )


@login_required
def expert_profile(request, user_id=None):
    """An expert's profile: the expert edits their own (no id); an admin of the pool's authority edits it."""
    if user_id is None:
        if not actor_for(request.user).is_expert:
            raise Http404
        expert = request.user
    else:
        expert = get_object_or_404(selectors.expert_pool_list(user=request.user), pk=user_id)
    may_edit = services.can_manage_expert(request.user, expert)
    profile = getattr(expert, "expert_profile", None)
    form = ExpertProfileForm(
        request.POST if request.method == "POST" and may_edit else None,
        initial=ExpertProfileForm.initial_for(profile),
    )
    if request.method == "POST" and may_edit and form.is_valid():
        try:
            services.expert_profile_update(actor=request.user, expert=expert, data=form.profile_data())
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存专家信息。"))
            return redirect(request.path)
    return render(
        request,
        "applications/expert_profile.html",
        {
            "expert": expert,
            "profile": profile,
            "form": form if may_edit else None,
            "assignments": selectors.expert_history(user=request.user, expert=expert),
            "active_nav": "expert" if expert == request.user else "applications",
        },
        status=400 if form.errors else 200,
    )
