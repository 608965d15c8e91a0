from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.jurisdiction import actor_for
from kit.todos import todo_sections
from stats.scope import scope_for
from stats.selectors import key_figures


@login_required
def dashboard(request):
    """我的待办: the key figures of the user's jurisdiction (authority staff), then every piece of work waiting
    for the user, by group, each item linking to its object."""
    actor = actor_for(request.user)
    sections = todo_sections(request.user, actor)
    # stats sits below the portal shell (DESIGN.md, Layout), so the shell reads its figures directly.
    figures = key_figures(scope_for(request.user)) if actor.is_authority_staff else None
    return render(
        request,
        "portal/dashboard.html",
        {
            "sections": sections,
            "total": sum(s.count for s in sections),
            "memberships": actor.memberships,
            "figures": figures,
        },
    )


def error_400(request, exception=None):
    """A refused request (BadRequest, SuspiciousOperation): the page says what was wrong when the code said it."""
    from django.core.exceptions import BadRequest
    from django.utils.translation import gettext as _

    message = (
        str(exception)
        if isinstance(exception, BadRequest) and str(exception)
        else _("请求有误，请检查后重试。")
    )
    return render(request, "refused.html", {"message": message, "status": 400}, status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def switch_language(request):
    """Set the interface language from a link (a GET, so public pages carry no CSRF token and can be cached)."""
    lang = request.GET.get("lang", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if lang in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def ratelimited(request, exception=None):
    """429 for a client past a rate limit (RATELIMIT_VIEW): JSON under /api/, a page otherwise."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    message = _("操作过于频繁，请稍后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "throttled"}, status=429)
    return render(request, "429.html", {"message": message}, status=429)


def favicon(request):
    """Send /favicon.ico, which browsers ask for whatever the page links, to the static file."""
    return redirect(static("favicon.ico"), permanent=True)
