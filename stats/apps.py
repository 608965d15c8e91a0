from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The cockpit: statistics of bases, plans, supervision and hours, for staff and as open data."""

    name = "stats"
    verbose_name = _("统计分析")

    def ready(self):
        from kit.nav import register_nav_entries

        from . import nav

        register_nav_entries(nav.ENTRIES)
