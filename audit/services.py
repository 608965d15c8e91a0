"""The one way to write an audit event."""

from .context import current_client_ip
from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    organization=None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_name: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=actor_name or (user.get_username() if user else ""),
        organization=organization,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200] if obj is not None else "",
        from_state=from_state or "",
        to_state=to_state or "",
        comment=comment or "",
        ip_address=ip_address or current_client_ip(),
    )
