"""Reads of the audit trail, for the audit administrator (三权分立: accounts.admin_roles)."""

from django.db.models import Q
from django.urls import reverse

from accounts.jurisdiction import actor_for
from accounts.models import Membership, Role

from .labels import object_link_finder
from .models import AuditEvent


def can_view_audit(user) -> bool:
    """Only the audit administrator reads the trail: the system and security administrators whose actions it
    records do not."""
    return actor_for(user).is_audit_admin


def audit_event_list(*, user, filters: dict):
    """Return the events matching `filters` (action, actor, object type, object id, date range, text)."""
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("organization")
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    if filters.get("duty"):
        holders = Q(actor_id__in=Membership.objects.filter(role=filters["duty"]).values("user_id"))
        if filters["duty"] == Role.PROVINCIAL_ADMIN:
            holders |= Q(
                actor__is_superuser=True
            )  # the Django admin's superusers act as system administrators
        qs = qs.filter(holders)
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(Q(comment__icontains=text) | Q(object_repr__icontains=text))
    return qs.order_by("-created_at", "-id")


def actor_ids_of(obj, *actions: str, latest: bool = False) -> set:
    """Return the ids of the users who did `actions` (audit codes) to `obj`; with `latest`, only the last one's.

    The trail is the record of who did what, so segregation-of-duties rules read it rather than a copy."""
    events = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=actions, actor__isnull=False
    ).order_by("-created_at", "-id")
    if latest:
        events = events[:1]
    return set(events.values_list("actor_id", flat=True))


def object_history(obj) -> list:
    """Return the events of one object's history, oldest first, for its page's 办理记录. The notes the code writes
    (codes, scores, deadlines) are said in words by their renderers (audit.labels.describe_comment)."""
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "created_at", "id"
        )
    )


def object_links(user, events) -> dict:
    """Return {(object type, object id): url} for the events' objects that `user` may open: one query per object
    type, whatever the number of events (each app registers its finder: audit.labels.register_object_type)."""
    wanted: dict = {}
    for e in events:
        if e.object_type and e.object_id:
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    links = {}
    for object_type, ids in wanted.items():
        finder = object_link_finder(object_type)
        if finder is not None:
            links.update({(object_type, str(pk)): url for pk, url in finder(user, sorted(ids)).items()})
    return links


def visible_links(queryset, ids, url_name: str) -> dict:
    """Return {id: url} for the ids (audit object ids are text) of the rows of `queryset`, a visible_to(user)."""
    pks = [int(i) for i in ids if str(i).isdigit()]
    if not pks:
        return {}
    return {
        str(pk): reverse(url_name, args=[pk])
        for pk in queryset.filter(pk__in=pks).values_list("pk", flat=True)
    }
