from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    verbose_name = _("继续教育基地")

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

        from . import events, nav, workflow  # noqa: F401  (its machines register their audit and state labels)
        from .models import MisconductReport, Notice
        from .selectors import base_links, change_requests_visible_to, reports_visible_to
        from .todos import GROUPS, todos_for_user

        register_action_labels(events.LABELS)
        register_comment_renderers(events.COMMENTS)
        # A report is triaged by a service, not a machine: its states are named here for its history.
        register_state_labels("bases.misconductreport", dict(MisconductReport.Status.choices))
        register_object_type("bases.base", links=base_links)
        register_object_type(
            "bases.notice", links=lambda user, ids: visible_links(Notice.objects.all(), ids, "bases:notice")
        )
        register_object_type(
            "bases.changerequest",
            links=lambda user, ids: visible_links(change_requests_visible_to(user), ids, "bases:change"),
        )
        register_object_type(
            "bases.misconductreport",
            links=lambda user, ids: visible_links(reports_visible_to(user), ids, "bases:report"),
        )
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_nav_entries(nav.ENTRIES)
