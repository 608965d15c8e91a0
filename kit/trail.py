"""Where layers below `audit` (accounts) write their audit events: `audit` registers its recorder here in its
AppConfig.ready(), so nothing imports upward. Everything above `audit` calls `audit.services.audit_record`."""

from django.core.exceptions import ImproperlyConfigured

_recorder = None


def register_recorder(fn) -> None:
    global _recorder
    _recorder = fn


def record(**event):
    """Append one audit event through the registered recorder (inside the caller's transaction)."""
    if _recorder is None:
        raise ImproperlyConfigured("the audit app is not installed: no recorder registered in kit.trail")
    return _recorder(**event)
