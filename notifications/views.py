from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.pagination import paginate

from .kinds import KINDS
from .models import Notification, Preference
from .selectors import notification_list
from .services import notification_mark_read, preferences_save


@login_required
def inbox(request):
    page = paginate(request, notification_list(user=request.user), per_page=30)
    return render(request, "notifications/inbox.html", {"page": page, "active_nav": "inbox"})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark the message read and go to what it is about: a POST (with CSRF), so no link or prefetch marks it."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, notification_id=note.pk)
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences(request):

    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "email"))
    if request.method == "POST":
        preferences_save(
            user=request.user,
            email_by_kind={kind: request.POST.get(f"email_{kind}") == "on" for kind, _label in KINDS},
        )
        messages.success(request, _("已保存通知设置。"))
        return redirect("notifications:preferences")
    rows = [(kind, label, current.get(kind, True)) for kind, label in KINDS]
    return render(request, "notifications/preferences.html", {"rows": rows, "active_nav": "inbox"})
