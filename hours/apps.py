from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = _("学时登记")

    def ready(self):
        from audit.labels import register_action_labels

        from . import events

        register_action_labels(events.LABELS)
