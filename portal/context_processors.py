from django.conf import settings
from django.utils.translation import gettext_lazy

from accounts.jurisdiction import actor_for
from notifications.selectors import unread_count

from .navigation import navigation_for

# The portal's name as the UI shows it (translated); settings.PORTAL_NAME stays the official Chinese name for e-mails.
PORTAL_TITLE = gettext_lazy("四川省专业技术人员继续教育基地管理平台")


def portal(request):
    """Portal name and the role-based navigation for every page."""
    user = getattr(request, "user", None)
    actor = actor_for(user)

    return {
        "unread_count": unread_count(user) if user is not None else 0,
        "PORTAL_NAME": PORTAL_TITLE
        if settings.PORTAL_NAME == "四川省专业技术人员继续教育基地管理平台"
        else settings.PORTAL_NAME,
        "nav_menu": navigation_for(user, actor),
        "actor": actor,
    }
