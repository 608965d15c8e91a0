"""Pages of the administrators' duties: institution registrations to confirm, and the security administrator's
lockouts and two-factor resets. Thin: fetch through a selector, call one service, show the outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.errors import DomainError
from kit.forms_errors import apply_domain_error
from kit.pagination import paginate

from . import registration, security
from .forms import RegistrationRefuseForm, UserSearchForm
from .jurisdiction import actor_for
from .models import Membership, User

# --- registrations ---------------------------------------------------------------------------------------


def _may_see_registrations(user) -> bool:
    actor = actor_for(user)
    return actor.is_provincial or actor.is_authority_staff


@login_required
def registration_list(request):
    if not _may_see_registrations(request.user):
        raise Http404
    page = paginate(request, registration.pending_registrations(request.user), per_page=30)
    return render(request, "accounts/registration_list.html", {"page": page})


@login_required
def registration_detail(request, pk):
    org = get_object_or_404(registration.registrations_visible_to(request.user), pk=pk)
    refuse_form = RegistrationRefuseForm(request.POST if request.POST.get("action") == "refuse" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                registration.registration_confirm(actor=request.user, organization_id=org.pk)
                messages.success(request, _("已确认 %(o)s 的注册。") % {"o": org.name})
                return redirect("accounts:registrations")
            if refuse_form.is_valid():
                registration.registration_refuse(
                    actor=request.user, organization_id=org.pk, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(request, _("已不予确认 %(o)s 的注册。") % {"o": org.name})
                return redirect("accounts:registrations")
        except DomainError as exc:
            apply_domain_error(request, exc, refuse_form if refuse_form.is_bound else None)
    admins = (
        User.objects.filter(memberships__organization=org, memberships__role="institution_admin")
        .distinct()
        .order_by("date_joined")
    )
    context = {
        "org": org,
        "admins": admins,
        "refuse_form": refuse_form,
        "can_decide": org.registration_state == "pending"
        and registration.can_decide_registration(request.user, org),
    }
    return render(request, "accounts/registration_detail.html", context)


# --- the security administrator ------------------------------------------------------------------------


def _security_only(request):
    if not security.can_manage_security(request.user):
        raise Http404


@login_required
def lockout_list(request):
    _security_only(request)
    page = paginate(request, security.lockout_list(), per_page=50)
    return render(request, "accounts/security_lockouts.html", {"page": page})


@login_required
@require_POST
def lockout_release(request, pk):
    _security_only(request)
    try:
        security.lockout_release(actor=request.user, attempt_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已解除该登录锁定。"))
    return redirect("accounts:lockouts")


@login_required
def otp_list(request):
    _security_only(request)
    form = UserSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    users = [(u, security.otp_devices(u)) for u in security.otp_user_search(actor=request.user, q=q or "")]
    roles = {}
    for m in Membership.objects.filter(user__in=[u for u, _d in users]).select_related("organization"):
        roles.setdefault(m.user_id, []).append(m)
    return render(
        request,
        "accounts/security_otp.html",
        {
            "form": form,
            "users": [(u, devices, roles.get(u.pk, [])) for u, devices in users],
            "otp_installed": security.otp_installed(),
            "searched": bool(q),
        },
    )


@login_required
@require_POST
def otp_reset(request, user_id):
    _security_only(request)
    target = get_object_or_404(User, pk=user_id)
    try:
        removed = security.otp_reset(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已移除 %(u)s 的 %(n)d 个双因素认证设备，该用户下次登录时重新绑定。")
            % {"u": target.username, "n": removed},
        )
    return redirect("accounts:otp")
