from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.jurisdiction import actor_for
from kit.todos import todo_sections


@login_required
def dashboard(request):
    """我的待办: every piece of work waiting for the user, by group, each item linking to its object."""
    actor = actor_for(request.user)
    sections = todo_sections(request.user, actor)
    return render(
        request,
        "portal/dashboard.html",
        {
            "sections": sections,
            "total": sum(s.count for s in sections),
            "memberships": actor.memberships,
        },
    )


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


def favicon(request):
    """Send /favicon.ico, which browsers ask for whatever the page links, to the static file."""
    return redirect(static("favicon.ico"), permanent=True)
