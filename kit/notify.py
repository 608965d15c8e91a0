"""Where layers below `notifications` (accounts) send notifications: `notifications` registers its `notify` here
in its AppConfig.ready(), as `audit` does for kit.trail, so nothing imports upward."""

from django.core.exceptions import ImproperlyConfigured

_notifier = None


def register_notifier(fn) -> None:
    global _notifier
    _notifier = fn


def notify(**message):
    """Notify users through the registered notifier (inbox now, e-mail on commit): users, kind, title, body, url."""
    if _notifier is None:
        raise ImproperlyConfigured(
            "the notifications app is not installed: no notifier registered in kit.notify"
        )
    return _notifier(**message)
