from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("检查考核与动态管理")

    def ready(self):
        from audit.labels import (
            register_action_labels,
            register_comment_renderers,
            register_object_type,
            register_state_labels,
        )
        from audit.selectors import visible_links
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_groups, register_todo_provider
        from notifications.reminders import register_provider

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .models import InspectionRound
        from .reminders import rectification_reminders
        from .selectors import inspections_visible_to, rectifications_visible_to, rounds_visible_to
        from .todos import GROUPS, todos_for_user

        register_action_labels(events.LABELS)
        # A round is opened and published by services, not a machine: its states are named here for histories.
        register_state_labels("inspections.inspectionround", dict(InspectionRound.State.choices))
        register_comment_renderers(events.COMMENTS)
        for object_type, visible, url_name in [
            ("inspections.inspectionround", rounds_visible_to, "inspections:round"),
            ("inspections.inspection", inspections_visible_to, "inspections:inspection"),
            ("inspections.rectification", rectifications_visible_to, "inspections:rectification"),
        ]:
            register_object_type(
                object_type,
                links=lambda user, ids, visible=visible, url_name=url_name: visible_links(
                    visible(user), ids, url_name
                ),
            )
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_provider("inspections.rectification", rectification_reminders)
        register_nav_entries(nav.ENTRIES)
