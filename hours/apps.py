from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "hours"
    verbose_name = _("学时登记")

    def ready(self):
        from audit.labels import register_action_labels, register_comment_renderers, register_object_type
        from bases.revocation import register_revocation_effect
        from kit.nav import register_nav_entries

        from . import checks, events, nav  # noqa: F401  (checks registers the deploy checks)
        from .services import api_keys_revoke_for_base

        register_action_labels(events.LABELS)
        register_comment_renderers(events.COMMENTS)
        # IngestBatch has no verbose name of its own (a Meta change would be a migration for a label).
        register_object_type("hours.ingestbatch", label=_("报送批次"))
        register_revocation_effect(api_keys_revoke_for_base)
        register_nav_entries(nav.ENTRIES)
