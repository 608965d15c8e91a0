"""The header entry of audit (kit.nav): the audit trail, the audit administrator's alone (三权分立)."""

from django.utils.translation import gettext_lazy as _

from kit.nav import SYSTEM

ENTRIES = {
    SYSTEM: [
        ("audit", _("审计日志"), "audit:events", 80, lambda actor: actor.is_audit_admin),
    ]
}
