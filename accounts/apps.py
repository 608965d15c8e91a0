from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与管辖")

    def ready(self):
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_provider

        from . import nav
        from .registration import todos_for_user

        # 我的待办: pending institution registrations.
        register_todo_provider(todos_for_user)
        register_nav_entries(nav.ENTRIES)
