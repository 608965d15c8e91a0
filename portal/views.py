from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.jurisdiction import actor_for

from .tasks_registry import todos_for


def home(request):
    return render(request, "portal/home.html")


@login_required
def dashboard(request):
    actor = actor_for(request.user)
    return render(
        request,
        "portal/dashboard.html",
        {"todos": todos_for(request.user, actor), "memberships": actor.memberships},
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
