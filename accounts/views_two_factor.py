"""Sign-in with a second factor, enrolment, the account's two-factor settings and the HR departments' rule for
institutions. (The security administrator resets a lost authenticator: accounts/security.py, otp_reset.)

A correct password of a user who needs a second factor does not sign in: it starts a *pending* sign-in, kept in
the session for TWO_FACTOR_PENDING_SECONDS, that only the code step (or, without an authenticator yet, the
enrolment step) can finish. Nothing else of the portal is reachable meanwhile, since the user is not signed in.
"""

import time
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kit.errors import DomainError
from kit.forms_errors import form_add_domain_error

from . import two_factor, views
from .lockout import is_locked_out, record_wrong_code
from .models import Organization, User

PENDING_KEY = "two_factor_pending"
WRONG_CODE = gettext_lazy("动态口令不正确，或尝试过于频繁请稍候再试。连续失败 5 次后账户将被锁定 30 分钟。")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=20,
        help_text=gettext_lazy("认证器应用显示的 6 位数字；手机不在身边时可输入一个备用码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=20,
        help_text=gettext_lazy("扫描二维码后，输入认证器应用显示的 6 位数字。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PolicyForm(forms.Form):
    require_institutions = forms.BooleanField(
        label=gettext_lazy("要求辖区内所有施教机构用户使用双因素认证登录"), required=False
    )


# --- the pending sign-in ----------------------------------------------------------------------------------


def pending_begin(request, user, *, backend: str, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": backend,
        "next": next_url,
        "since": int(time.time()),
        # A password changed meanwhile ends the pending sign-in, as it ends sessions.
        "auth_hash": user.get_session_auth_hash(),
    }


def pending_user(request):
    """Return the user whose password was accepted in this session and who still owes a code, or None."""
    state = request.session.get(PENDING_KEY)
    if not state:
        return None
    if time.time() - state.get("since", 0) > settings.TWO_FACTOR_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=state.get("user_id"), is_active=True).first()
    if user is None or not constant_time_compare(state.get("auth_hash", ""), user.get_session_auth_hash()):
        request.session.pop(PENDING_KEY, None)
        return None
    return user


def _pending_finish(request, user, device) -> str:
    """Sign the pending user in with the device that verified them; return where they were going."""
    state = request.session.get(PENDING_KEY) or {}
    backend = state.get("backend")
    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = "django.contrib.auth.backends.ModelBackend"
    user.otp_device = device  # django_otp's user_logged_in receiver keeps the device in the session
    login(request, user, backend=backend)
    request.session.pop(PENDING_KEY, None)
    next_url = state.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    return next_url


def send_to_second_step(request, user, *, backend: str, next_url: str):
    """Start a pending sign-in and redirect to the code step, or to enrolment without an authenticator."""
    pending_begin(request, user, backend=backend, next_url=next_url)
    if two_factor.has_totp_device(user):
        return redirect("accounts:two_factor_verify")
    return redirect("accounts:two_factor_enrol")


def _locked_out(request):
    request.session.pop(PENDING_KEY, None)
    return views.lockout_response(request)


class LoginView(views.LoginView):
    """The password step; users who need a second factor go on to the code (or enrolment) step."""

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.two_factor_required(user):
            return super().form_valid(form)
        return send_to_second_step(self.request, user, backend=user.backend, next_url=self.get_success_url())


def verify(request):
    user = pending_user(request)
    if user is None:
        messages.info(request, _("请先输入用户名和密码。"))
        return redirect("accounts:login")
    if not two_factor.has_totp_device(user):
        return redirect("accounts:two_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request, user):
            return _locked_out(request)
        device = two_factor.otp_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return redirect(_pending_finish(request, user, device))
        if record_wrong_code(request, user):
            return _locked_out(request)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor/verify.html", {"form": form, "pending": user})


# --- enrolment ----------------------------------------------------------------------------------------------


def _qr_svg(device) -> str:
    # Rendered here, offline, as inline SVG: the secret never leaves the portal for a QR service. Safe to mark:
    # segno writes the code as one path of module coordinates; no text of the URL appears in the markup.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703


def enrol(request):
    """Enrol an authenticator: during a pending sign-in (forced for staff), or from the account settings."""
    pending = None if request.user.is_authenticated else pending_user(request)
    user = request.user if request.user.is_authenticated else pending
    if user is None:
        messages.info(request, _("请先输入用户名和密码。"))
        return redirect("accounts:login")
    if two_factor.has_totp_device(user):
        return redirect("accounts:two_factor_verify" if pending else "accounts:two_factor")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_locked_out(request, user):
            return _locked_out(request)
        try:
            device, codes = two_factor.totp_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except DomainError as exc:
            if record_wrong_code(request, user):
                return _locked_out(request)
            form_add_domain_error(form, exc)
        else:
            if pending is not None:
                next_url = _pending_finish(request, user, device)
            else:
                otp_login(request, device)  # this session is now verified by the new authenticator
                next_url = reverse("accounts:two_factor")
            return render(
                request, "accounts/two_factor/backup_codes.html", {"codes": codes, "next": next_url}
            )
    device = two_factor.totp_enrolment_start(user=user)
    context = {
        "form": form,
        "pending": pending,
        "qr_svg": _qr_svg(device),
        "secret": two_factor.totp_secret_base32(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/two_factor/enrol.html", context)


# --- the account's settings ---------------------------------------------------------------------------------


@login_required
def settings_page(request):
    status = two_factor.two_factor_status(request.user)
    return render(request, "accounts/two_factor/settings.html", {"status": status})


@login_required
@require_POST
def backup_codes_new(request):
    try:
        codes = two_factor.backup_codes_regenerate(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:two_factor")},
    )


@login_required
@require_POST
def disable(request):
    try:
        two_factor.two_factor_disable(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用双因素认证，今后仅凭密码登录。"))
    return redirect("accounts:two_factor")


# --- HR departments ------------------------------------------------------------------


@login_required
def policy(request, pk):
    authority = get_object_or_404(Organization, pk=pk)
    if not two_factor.can_set_two_factor_policy(request.user, authority):
        raise Http404
    current = two_factor.two_factor_policy_of(authority)
    form = PolicyForm(
        request.POST if request.method == "POST" else None, initial={"require_institutions": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            required = two_factor.two_factor_policy_set(
                actor=request.user,
                authority=authority,
                require_institutions=form.cleaned_data["require_institutions"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已要求辖区施教机构使用双因素认证。")
                if required
                else _("已取消对辖区施教机构的双因素认证要求。"),
            )
            return redirect("accounts:two_factor_policy", pk=authority.pk)
    return render(
        request, "accounts/two_factor/policy.html", {"authority": authority, "form": form, "current": current}
    )


def admin_login(request):
    """Django admin signs in through the portal's sign-in, so superusers pass both factors too."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


def session_backend(request) -> str:
    return request.session.get(BACKEND_SESSION_KEY) or "django.contrib.auth.backends.ModelBackend"
