"""Audit of the Django admin: every add, change and delete made there is also an AuditEvent.

Django's admin already calls `log_addition`, `log_change` and `log_deletions` for each of its writes (the
password form and inline formsets included), inside the transaction of the write; the mixin writes the audit
event next to the admin's own LogEntry, so the audit administrator sees admin-site edits like any other change.
"""

import json

from django.contrib.admin.models import LogEntry

from kit.trail import record as audit_record


def _stored_message(message) -> str:
    """The admin's change message as the admin stores it: JSON of untranslated names, which the audit page says in
    the reader's language (audit.comments.admin_message), as the admin's history page does."""
    if not message:
        return ""
    stored = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
    if len(stored) > 2000:
        # Too long for the JSON to survive a cut: keep the words, in the language of the one who wrote them.
        return LogEntry(change_message=stored).get_change_message()[:2000]
    return stored


class AuditedAdminMixin:
    def log_addition(self, request, obj, message):
        audit_record(actor=request.user, action="admin.added", obj=obj, comment=_stored_message(message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(actor=request.user, action="admin.changed", obj=obj, comment=_stored_message(message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="admin.deleted", obj=obj)
        return super().log_deletions(request, queryset)
