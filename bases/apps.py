from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("继续教育基地")

    def ready(self):
        from audit.labels import register_action_labels

        from . import events, workflow  # noqa: F401  (its machines register their audit and state labels)

        register_action_labels(events.LABELS)
