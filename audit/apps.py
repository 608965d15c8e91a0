from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self):
        from accounts.models import Organization
        from kit.nav import register_nav_entries
        from kit.trail import register_recorder

        from . import (
            comments,
            nav,
            signals,  # noqa: F401  (audit of sign-in events)
        )
        from .labels import register_comment_renderers, register_state_labels
        from .services import audit_record

        register_state_labels("accounts.organization", dict(Organization.RegistrationState.choices))
        register_comment_renderers(comments.RENDERERS)

        # accounts stands below audit: it writes its audit events through kit.trail, which this fills.
        register_recorder(audit_record)
        register_nav_entries(nav.ENTRIES)
