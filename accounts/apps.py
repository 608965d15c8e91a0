from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与管辖")

    def ready(self):
        from kit.nav import register_nav_entries
        from kit.todos import register_todo_group, register_todo_provider

        from . import nav
        from .registration import decides_registrations, todos_for_user

        # 我的待办: pending institution registrations.
        register_todo_provider(todos_for_user)
        register_todo_group(
            "registration",
            _("机构注册"),
            hint=_("待确认的施教机构注册；本机构注册待确认时的办理进度。"),
            order=38,
            applies=decides_registrations,
        )
        register_nav_entries(nav.ENTRIES)
