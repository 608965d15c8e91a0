from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("基地申报")

    def ready(self):
        from portal.tasks_registry import register_todo_provider

        from .selectors import todos_for_user

        register_todo_provider(todos_for_user)
