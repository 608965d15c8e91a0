"""Send a signed-in user whose password must change to the password-change page before anything else."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .passwords import password_change_reason, reason_message

# Paths that stay open: changing the password itself, leaving, static files and the two-factor steps (which may
# come before the password change in the sign-in of django-otp).
OPEN_PREFIXES = ("/accounts/two-factor/",)


class ForcePasswordChange:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._is_open(request.path_info):
            reason = password_change_reason(user)
            if reason:
                return self._refuse(request, reason)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        open_paths = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("admin:logout"),
            settings.STATIC_URL,
            *OPEN_PREFIXES,
        )
        return any(path == p or (p.endswith("/") and path.startswith(p)) for p in open_paths)

    @staticmethod
    def _refuse(request, reason):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": reason_message(reason), "code": "password_change_required"}, status=403
            )
        target = reverse("accounts:password_change")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
