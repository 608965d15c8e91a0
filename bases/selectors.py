"""Reads of bases and notices. Public selectors return only published, public facts."""

from accounts.jurisdiction import actor_for

from .models import Filing, Notice


def notice_list_public(*, kind: str = "", authority_id: str = ""):
    qs = Notice.objects.select_related("authority", "base")
    if kind:
        qs = qs.filter(kind=kind)
    if authority_id and str(authority_id).isdigit():
        qs = qs.filter(authority_id=int(authority_id))
    return qs.order_by("-published_at", "-id")


def notice_get_public(pk):
    return Notice.objects.select_related("authority", "base", "application__batch").filter(pk=pk).first()


def filed_bases_for(user):
    """R-03: the provincial HR department sees every base filed with it."""
    if not actor_for(user).is_provincial:
        return Filing.objects.none()
    return Filing.objects.select_related("base__institution", "base__region", "filed_by").order_by(
        "-filed_at"
    )
