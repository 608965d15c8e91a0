from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("基地申报")

    def ready(self):
        from audit.labels import (
            register_action_labels,
            register_comment_renderers,
            register_object_type,
            register_state_labels,
        )
        from audit.selectors import visible_links
        from bases.models import Notice
        from bases.notice_panels import register_notice_panel
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_groups, register_todo_provider
        from notifications.reminders import register_provider

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .models import Objection
        from .reminders import application_reminders
        from .selectors import batch_list, visible_to
        from .todos import GROUPS, todos_for_user
        from .views.objections import objection_panel

        register_action_labels(events.LABELS)
        register_comment_renderers(events.COMMENTS)
        # An objection's resolution is an event of its application, from the objection's status to its outcome.
        register_state_labels("applications.application", dict(Objection.Status.choices))
        register_object_type(
            "applications.application",
            links=lambda user, ids: visible_links(visible_to(user), ids, "applications:detail"),
        )
        register_object_type(
            "applications.batch",
            links=lambda user, ids: visible_links(batch_list(user=user), ids, "applications:batch"),
        )
        register_notice_panel(Notice.Kind.PUBLICITY, objection_panel)
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_provider("applications", application_reminders)
        register_nav_entries(nav.ENTRIES)
