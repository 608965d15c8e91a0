"""Two factors beyond staff: institution users enrol by choice, an HR department requires them of the
institutions of its region, a reset authenticator is enrolled again; every change is audited
(等保 2.0 level 3; DESIGN.md "Personal data and security")."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Organization, Role, TwoFactorPolicy
from audit.models import AuditEvent
from kit.errors import PermissionRefused
from tests.factories import TEST_PASSWORD, InstitutionFactory, OrganizationFactory, member
from tests.two_factor import totp_code, totp_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(institution):
    return member(institution, Role.BASE_OPERATOR, username="operator")


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD})


def enrol_from_settings(client, user):
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("accounts:two_factor_enrol"), {"code": totp_code(device)})


# --- institution users, by choice ---------------------------------------------------------------------------


def test_institution_user_signs_in_with_a_password_alone(client, operator):
    response = sign_in(client, "operator")
    assert response.url == reverse("portal:dashboard")
    assert "_auth_user_id" in client.session


def test_institution_user_enrols_from_the_settings_page_and_then_needs_the_code(client, operator):
    client.force_login(operator)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "未启用" in page
    response = enrol_from_settings(client, operator)
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    # This session is verified by the new authenticator: it goes on working.
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=operator).count() == 1
    client.logout()
    assert sign_in(client, "operator").url == reverse("accounts:two_factor_verify")
    assert "_auth_user_id" not in client.session


def test_institution_user_may_turn_two_factors_off_again(client, operator):
    client.force_login(operator)
    enrol_from_settings(client, operator)
    response = client.post(reverse("accounts:two_factor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=operator).exists()
    assert not StaticDevice.objects.filter(user=operator).exists()
    assert AuditEvent.objects.filter(action="two_factor.disabled", actor=operator).count() == 1
    client.logout()
    assert sign_in(client, "operator").url == reverse("portal:dashboard")


def test_staff_may_not_turn_two_factors_off(client, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="reviewer")
    client.force_login(reviewer)
    client.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    with pytest.raises(PermissionRefused, match="必须使用双因素认证"):
        two_factor.two_factor_disable(user=reviewer)
    assert not AuditEvent.objects.filter(action="two_factor.disabled").exists()


def test_new_backup_codes_replace_the_old_ones(operator, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # a good code right after a wrong one
    totp_device(operator)
    old = two_factor.backup_codes_regenerate(user=operator)
    new = two_factor.backup_codes_regenerate(user=operator)
    assert two_factor.otp_verify(user=operator, code=old[0]) is None
    assert two_factor.otp_verify(user=operator, code=new[0]) is not None
    assert AuditEvent.objects.filter(action="two_factor.backup_codes_issued", actor=operator).count() == 2


def test_backup_codes_need_an_authenticator_first(operator):
    with pytest.raises(Exception, match="请先启用双因素认证"):
        two_factor.backup_codes_regenerate(user=operator)


# --- the HR department's rule ---------------------------------------------------------------------------------


def test_authority_admin_requires_two_factors_of_the_institutions_of_its_region(client, cd_admin, chengdu):
    client.force_login(cd_admin)
    url = reverse("accounts:two_factor_policy", args=[chengdu.pk])
    assert "未要求" in client.get(url).content.decode()
    response = client.post(url, {"require_institutions": "on"})
    assert response.status_code == 302
    assert TwoFactorPolicy.objects.get(authority=chengdu).require_institutions
    event = AuditEvent.objects.get(action="two_factor.policy_changed")
    assert (event.actor, event.organization, event.from_state, event.to_state) == (
        cd_admin,
        chengdu,
        "optional",
        "required",
    )
    client.post(url, {"require_institutions": "on"})  # unchanged: nothing to record
    assert AuditEvent.objects.filter(action="two_factor.policy_changed").count() == 1
    client.post(url, {})
    assert not TwoFactorPolicy.objects.get(authority=chengdu).require_institutions
    assert AuditEvent.objects.filter(action="two_factor.policy_changed", to_state="optional").count() == 1


def test_required_institution_user_must_enrol_and_cannot_turn_it_off(client, cd_admin, chengdu, operator):
    two_factor.two_factor_policy_set(actor=cd_admin, authority=chengdu, require_institutions=True)
    response = sign_in(client, "operator")  # the institution is in 武侯区, Chengdu
    assert response.url == reverse("accounts:two_factor_enrol")
    assert "_auth_user_id" not in client.session
    totp_device(operator)
    with pytest.raises(PermissionRefused):
        two_factor.two_factor_disable(user=operator)


def test_requirement_reaches_only_the_authoritys_region(cd_admin, chengdu, mianyang):
    mianyang_institution = InstitutionFactory(region_id="510703")
    elsewhere = member(mianyang_institution, Role.INSTITUTION_ADMIN, username="my_inst")
    chengdu_city = member(InstitutionFactory(region_id="510100"), Role.INSTITUTION_ADMIN, username="cd_city")
    two_factor.two_factor_policy_set(actor=cd_admin, authority=chengdu, require_institutions=True)
    assert two_factor.two_factor_required(chengdu_city)
    assert not two_factor.two_factor_required(elsewhere)


def test_provincial_requirement_reaches_every_institution(province, operator):
    admin = member(province, Role.AUTHORITY_ADMIN, username="sc_admin")
    assert not two_factor.two_factor_required(operator)
    two_factor.two_factor_policy_set(actor=admin, authority=province, require_institutions=True)
    assert two_factor.two_factor_required(operator)


def test_a_deactivated_departments_requirement_lapses(cd_admin, chengdu, operator):
    two_factor.two_factor_policy_set(actor=cd_admin, authority=chengdu, require_institutions=True)
    Organization.objects.filter(pk=chengdu.pk).update(is_active=False)
    assert not two_factor.two_factor_required(operator)


def test_only_an_hr_departments_admin_sets_the_rule(client, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="reviewer")
    health = OrganizationFactory(name="卫健委", kind=Organization.Kind.INDUSTRY_AUTHORITY, region_id="510000")
    health_admin = member(health, Role.AUTHORITY_ADMIN, username="health_admin")
    with pytest.raises(PermissionRefused):
        two_factor.two_factor_policy_set(actor=reviewer, authority=chengdu, require_institutions=True)
    with pytest.raises(PermissionRefused):
        two_factor.two_factor_policy_set(actor=health_admin, authority=health, require_institutions=True)
    client.force_login(reviewer)
    assert client.get(reverse("accounts:two_factor_policy", args=[chengdu.pk])).status_code == 404
    assert not TwoFactorPolicy.objects.exists()


def test_members_page_links_the_rule_for_its_admin(client, cd_admin, chengdu):
    client.force_login(cd_admin)
    page = client.get(reverse("accounts:members", args=[chengdu.pk])).content.decode()
    assert reverse("accounts:two_factor_policy", args=[chengdu.pk]) in page


# --- resets ----------------------------------------------------------------------------------------------------


def test_after_the_security_admins_reset_the_user_enrols_again(client, security_admin, chengdu):
    """The reset itself is sec-admin's (accounts/security.py, tested in tests/security/test_admin_duties.py):
    with real devices it removes the authenticator and the backup codes, and the next sign-in enrols."""
    from accounts import security

    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="reviewer")
    totp_device(reviewer)
    two_factor.backup_codes_regenerate(user=reviewer)
    assert security.otp_reset(actor=security_admin, user=reviewer) == 2
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not StaticDevice.objects.filter(user=reviewer).exists()
    assert AuditEvent.objects.get(action="security.otp_reset").object_id == str(reviewer.pk)
    assert sign_in(client, "reviewer").url == reverse("accounts:two_factor_enrol")


def test_the_three_administrators_sign_in_with_two_factors(security_admin, provincial_admin, province):
    audit_admin = member(province, Role.AUDIT_ADMIN, username="audit_admin_t")
    for user in (security_admin, provincial_admin, audit_admin):
        assert two_factor.two_factor_required(user) and two_factor.must_keep_two_factor(user)


# --- demo ------------------------------------------------------------------------------------------------------


def test_demo_staff_share_the_published_secret(settings, capsys):
    from io import StringIO

    from django.core.management import call_command

    from accounts.demo_two_factor import DEMO_TOTP_SECRET, demo_totp_key
    from accounts.models import User

    settings.DEBUG = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"DEMO_TOTP_SECRET {DEMO_TOTP_SECRET}" in out.getvalue().splitlines()
    for username in ("admin_sc", "sc_reviewer", "cd_approver", "health_reviewer", "expert1"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == demo_totp_key()
    institution_users = User.objects.filter(username__startswith="inst")
    assert institution_users.exists()
    assert not TOTPDevice.objects.filter(user__in=institution_users).exists()
