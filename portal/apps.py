from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The UI shell: public home, the signed-in dashboard (我的待办), error pages and the API base."""

    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
