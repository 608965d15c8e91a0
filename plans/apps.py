from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("年度计划与培训")

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
        from .models import TrainingClass
        from .reminders import plan_deadline_reminders
        from .selectors import classes_visible_to, plans_visible_to
        from .todos import GROUPS, todos_for_user

        register_action_labels(events.LABELS)
        register_comment_renderers(events.COMMENTS)
        register_state_labels("plans.trainingclass", dict(TrainingClass.Status.choices))
        register_object_type(
            "plans.annualplan",
            links=lambda user, ids: visible_links(plans_visible_to(user), ids, "plans:detail"),
        )
        register_object_type(
            "plans.trainingclass",
            links=lambda user, ids: visible_links(classes_visible_to(user), ids, "plans:class"),
        )
        register_todo_provider(todos_for_user)
        register_todo_groups(GROUPS)
        register_provider("plans.deadline", plan_deadline_reminders)
        register_nav_entries(nav.ENTRIES)
