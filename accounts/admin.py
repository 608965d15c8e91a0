from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .admin_audit import AuditedAdminMixin
from .admin_roles import duty_conflict
from .models import Membership, Organization, Region, User


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        """三权分立 across the whole form: the roles kept after this save, and the superuser flag being saved."""
        super().clean()
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        messages = duty_conflict(roles=roles, is_superuser=self.instance.is_superuser)
        if messages:
            raise ValidationError(messages)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["organization"]


class CreationForm(AdminUserCreationForm):
    """An account created here gets a password its creator knows: the owner changes it at the first sign-in."""

    def save(self, commit=True):
        self.instance.must_change_password = True
        return super().save(commit)


class PasswordResetForm(AdminPasswordChangeForm):
    """A password set here for someone is known to the admin: its owner changes it at the next sign-in."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    inlines = [MembershipInline]
    add_form = CreationForm
    change_password_form = PasswordResetForm
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Portal", {"fields": ("full_name", "phone", "must_change_password", "password_changed_at")}),
    )
    readonly_fields = ["password_changed_at"]
    list_display = ["username", "full_name", "email", "is_active"]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region", "credit_code", "registration_state", "is_active"]
    list_filter = ["kind", "registration_state"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["registration_decided_at", "registration_decided_by"]


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_old_revolutionary_area", "is_ethnic_area"]
    list_filter = ["level"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # codes that records point to are never deleted
