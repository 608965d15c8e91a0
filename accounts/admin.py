from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Organization, Region, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (("Portal", {"fields": ("full_name", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "credit_code", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_old_revolutionary_area", "is_ethnic_area"]
    list_filter = ["level"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # codes that records point to are never deleted
