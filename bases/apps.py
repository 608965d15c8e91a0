from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("继续教育基地")

    def ready(self):
        from audit.labels import register_action_labels, register_state_labels
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_groups, register_todo_provider

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .models import MisconductReport
        from .todos import GROUPS, todos_for_user

        register_action_labels(events.LABELS)
        # A report is triaged by a service, not a machine: its states are named here for its history.
        register_state_labels("bases.misconductreport", dict(MisconductReport.Status.choices))
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_nav_entries(nav.ENTRIES)
