"""A signed-in session that owes a second factor goes back to the second step.

The sign-in view never signs such a user in with a password alone, so this is the second line: sessions from
before two factors were introduced, a user who became staff (or whose HR department began to require two
factors) while signed in, an authenticator reset by an account manager. The session is ended and a pending
sign-in started in its place, so the user is asked for a code (or to enrol) and sees nothing else.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.utils.translation import gettext as _

from kit.trail import record as audit_record

from .two_factor import two_factor_required
from .views_two_factor import send_to_second_step, session_backend


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # is_verified() comes from django_otp's OTPMiddleware, which runs before this one.
        if user.is_authenticated and not user.is_verified() and two_factor_required(user):
            return self.back_to_second_step(request, user)
        return self.get_response(request)

    def back_to_second_step(self, request, user):
        backend = session_backend(request)
        next_url = request.get_full_path() if request.method == "GET" else ""
        audit_record(actor=user, action="two_factor.session_refused", obj=user)
        request.session.flush()
        request.user = AnonymousUser()
        response = send_to_second_step(request, user, backend=backend, next_url=next_url)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("该账户须完成双因素认证：请在网页上重新登录。"), "otp_required": True},
                status=401,
            )
        return response
