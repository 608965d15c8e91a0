from django.contrib.auth import views as auth_views
from django.urls import path

from kit.ratelimits import limit

from . import admin_views, views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("login/", limit("login", method="POST")(views_two_factor.LoginView.as_view()), name="login"),
    path("login/code/", limit("login", method="POST")(views_two_factor.verify), name="two_factor_verify"),
    path("two-factor/", views_two_factor.settings_page, name="two_factor"),
    path("two-factor/enrol/", views_two_factor.enrol, name="two_factor_enrol"),
    path("two-factor/backup-codes/", views_two_factor.backup_codes_new, name="two_factor_backup_codes"),
    path("two-factor/disable/", views_two_factor.disable, name="two_factor_disable"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/<int:pk>/members/", views.members, name="members"),
    path(
        "organizations/<int:pk>/members/<int:user_id>/active/", views.member_set_active, name="member_active"
    ),
    path(
        "organizations/<int:pk>/members/<int:user_id>/password/",
        views.member_reset_password,
        name="member_password",
    ),
    path("registrations/", admin_views.registration_list, name="registrations"),
    path("registrations/<int:pk>/", admin_views.registration_detail, name="registration"),
    path("security/lockouts/", admin_views.lockout_list, name="lockouts"),
    path("security/lockouts/<int:pk>/release/", admin_views.lockout_release, name="lockout_release"),
    path("security/otp/", admin_views.otp_list, name="otp"),
    path("security/otp/<int:user_id>/reset/", admin_views.otp_reset, name="otp_reset"),
    path("organizations/<int:pk>/two-factor/", views_two_factor.policy, name="two_factor_policy"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:code>/", views.region_edit, name="region_edit"),
]
