from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.errors import DomainError
from kit.forms_errors import form_add_domain_error
from kit.pagination import paginate
from kit.ratelimits import limit

from . import selectors, services
from .forms import (
    InstitutionRegistrationForm,
    LoginForm,
    MemberCreateForm,
    PasswordResetForm,
    RegionFlagsForm,
)
from .jurisdiction import actor_for
from .models import Region, User
from .passwords import password_change_reason, reason_message
from .permissions import can_edit_regions

LOCKOUT_MESSAGE = _("登录失败次数过多，账户已被锁定 30 分钟。请稍后再试，或联系本机构管理员。")


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out sign-in: JSON for the API, the sign-in page with a message otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(LOCKOUT_MESSAGE), "code": "locked_out"}, status=429)
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True, "lockout_message": LOCKOUT_MESSAGE},
        status=429,
    )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["change_reason"] = reason_message(password_change_reason(self.request.user))
        context["next"] = self._next()
        return context

    def _next(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return ""

    def get_success_url(self):
        return self._next() or str(self.success_url)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_change_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("密码已修改。"))
        return response


@limit("register", method="POST")
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = InstitutionRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.institution_register(
                name=data["name"],
                credit_code=data["credit_code"],
                institution_type=data["institution_type"],
                region=data["region"],
                address=data["address"],
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request, _("注册成功，请使用新账户登录。机构注册须经所在地人社部门确认后方可申报基地。")
            )
            return redirect(reverse("accounts:login") + f"?username={data['username']}")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def organization_list(request):
    orgs = selectors.manageable_organizations(request.user)
    if orgs.count() == 1:
        return redirect("accounts:members", pk=orgs.get().pk)
    page = paginate(request, orgs.order_by("kind", "region_id", "name"), per_page=30)
    return render(request, "accounts/organization_list.html", {"page": page})


@login_required
def members(request, pk):
    org = selectors.organization_for_user_management(user=request.user, pk=pk)
    if org is None:
        raise Http404
    actor = actor_for(request.user)
    form = MemberCreateForm(
        request.POST or None, organization=org, can_grant_provincial_admin=actor.is_provincial_admin
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create_in_organization(
                actor=request.user,
                organization=org,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                roles=data["roles"],
                password=data["password"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("已创建账户 %(u)s。") % {"u": user.username})
            return redirect("accounts:members", pk=org.pk)
    page = paginate(request, selectors.organization_members(org), per_page=30)
    return render(
        request,
        "accounts/members.html",
        {"org": org, "page": page, "form": form},
    )


@login_required
@require_POST
def member_reset_password(request, pk, user_id):
    org = selectors.organization_for_user_management(user=request.user, pk=pk)
    if org is None:
        raise Http404
    target = get_object_or_404(User.objects.distinct(), pk=user_id, memberships__organization=org)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accounts:members", pk=org.pk)
    try:
        services.user_reset_password(
            actor=request.user, organization=org, user=target, password=form.cleaned_data["password"]
        )
    except DomainError as exc:
        detail = " ".join(m for msgs in exc.field_errors.values() for m in msgs)
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(
            request, _("已重置 %(u)s 的密码，该用户下次登录时须修改密码。") % {"u": target.username}
        )
    return redirect("accounts:members", pk=org.pk)


@login_required
@require_POST
def member_set_active(request, pk, user_id):
    org = selectors.organization_for_user_management(user=request.user, pk=pk)
    if org is None:
        raise Http404
    target = get_object_or_404(User, pk=user_id, memberships__organization=org)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, organization=org, user=target, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("已启用账户 %(u)s。") if active else _("已停用账户 %(u)s。")) % {"u": target.username},
        )
    return redirect("accounts:members", pk=org.pk)


@login_required
def region_list(request):
    if not can_edit_regions(request.user):
        raise Http404
    regions = Region.objects.select_related("parent").order_by("code")
    q = request.GET.get("q", "").strip()
    if q:
        regions = regions.filter(name__contains=q) | regions.filter(code__startswith=q)
    page = paginate(request, regions, per_page=50)
    return render(request, "accounts/region_list.html", {"page": page, "q": q})


@login_required
def region_edit(request, code):
    if not can_edit_regions(request.user):
        raise Http404
    region = get_object_or_404(Region, pk=code)
    form = RegionFlagsForm(request.POST or None, instance=Region.objects.get(pk=code))
    if request.method == "POST" and form.is_valid():
        try:
            services.region_update_flags(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已更新 %(r)s 的倾斜政策标记。") % {"r": region.name})
            return redirect("accounts:regions")
    return render(request, "accounts/region_edit.html", {"region": region, "form": form})
