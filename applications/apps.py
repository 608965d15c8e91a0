from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("基地申报")

    def ready(self):
        from audit.labels import register_action_labels
        from bases.models import Notice
        from bases.notice_panels import register_notice_panel
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_groups, register_todo_provider
        from notifications.reminders import register_provider

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .reminders import application_reminders
        from .todos import GROUPS, todos_for_user
        from .views.objections import objection_panel

        register_action_labels(events.LABELS)
        register_notice_panel(Notice.Kind.PUBLICITY, objection_panel)
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_provider("applications", application_reminders)
        register_nav_entries(nav.ENTRIES)
