from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查考核与动态管理")

    def ready(self):
        from audit.labels import register_action_labels, register_state_labels
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_groups, register_todo_provider
        from notifications.reminders import register_provider

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .models import InspectionRound
        from .reminders import rectification_reminders
        from .todos import GROUPS, todos_for_user

        register_action_labels(events.LABELS)
        # A round is opened and published by services, not a machine: its states are named here for histories.
        register_state_labels("inspections.inspectionround", dict(InspectionRound.State.choices))
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_provider("inspections.rectification", rectification_reminders)
        register_nav_entries(nav.ENTRIES)
