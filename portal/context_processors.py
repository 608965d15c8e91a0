from django.conf import settings

from accounts.jurisdiction import actor_for

from .navigation import navigation_for


def portal(request):
    """Portal name and the role-based navigation for every page."""
    user = getattr(request, "user", None)
    actor = actor_for(user)
    from notifications.selectors import unread_count

    return {
        "unread_count": unread_count(user) if user is not None else 0,
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(user, actor),
        "actor": actor,
    }
