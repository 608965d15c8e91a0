from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息通知")

    def ready(self):
        from kit.notify import register_notifier

        from .services import notify

        # accounts stands below notifications: it notifies through kit.notify, which this fills.
        register_notifier(notify)
