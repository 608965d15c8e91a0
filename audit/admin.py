from django.contrib import admin

from .models import AuditEvent
from .selectors import can_view_audit


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["action"]
    search_fields = ["actor_name", "object_repr", "comment"]

    # 三权分立: not even a superuser reads the trail here; the audit administrator reads it at /audit/.
    def has_module_permission(self, request):
        return can_view_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
