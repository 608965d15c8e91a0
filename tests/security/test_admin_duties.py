"""三权分立 (等保 2.0 level 3, GB/T 22239-2019 8.1.4.2; DESIGN: Personal data and security): the system, security
and audit administrators are three accounts; each one's actions are audited and read by the audit administrator
only. Replays of the issue's reproductions: one account administering and reading its own trail, an admin-site
edit leaving no audit event, a lockout nobody could lift."""

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import security, services
from accounts.models import Membership, Role, User
from applications.selectors import visible_to
from audit.models import AuditEvent
from audit.services import audit_record
from hours import services as hours_services
from hours.models import ApiKey
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from tests.factories import TEST_PASSWORD, member

pytestmark = pytest.mark.django_db


def _create(actor, org, roles, username="duty_new"):
    return services.user_create_in_organization(
        actor=actor,
        organization=org,
        username=username,
        full_name="某管理员",
        email=f"{username}@example.test",
        phone="",
        roles=roles,
        password=TEST_PASSWORD,
    )


# --- no account holds two duties ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
        [Role.PROVINCIAL_ADMIN, Role.AUDIT_ADMIN],
        [Role.PROVINCIAL_ADMIN, Role.SECURITY_ADMIN],
    ],
)
def test_the_service_refuses_an_account_with_two_duties(provincial_admin, province, roles):
    with pytest.raises(InvalidInput) as exc:
        _create(provincial_admin, province, roles)
    assert "三权分立" in str(exc.value.field_errors["roles"])
    assert not User.objects.filter(username="duty_new").exists()


def test_the_system_admin_creates_a_security_admin_and_it_is_audited(provincial_admin, province):
    user = _create(provincial_admin, province, [Role.SECURITY_ADMIN])
    assert Membership.objects.get(user=user).role == Role.SECURITY_ADMIN
    event = AuditEvent.objects.get(action="account.created", object_id=str(user.pk))
    assert event.actor == provincial_admin and event.comment == "roles=security_admin"
    assert user.must_change_password  # the system administrator does not keep the security admin's password


def test_only_the_system_admin_grants_a_duty(province):
    authority_admin = member(province, Role.AUTHORITY_ADMIN, username="sc_admin_only")
    with pytest.raises(PermissionRefused):
        _create(authority_admin, province, [Role.AUDIT_ADMIN])


def test_the_database_refuses_a_second_duty(security_admin, province):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=security_admin, organization=province, role=Role.AUDIT_ADMIN)
    assert Membership.objects.filter(user=security_admin).count() == 1


def test_the_admin_site_refuses_two_duties_and_a_superuser_duty(client, province, security_admin):
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    client.force_login(root)
    existing = Membership.objects.get(user=security_admin)
    data = {
        "username": security_admin.username,
        "password": security_admin.password,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(existing.pk),
        "memberships-0-user": str(security_admin.pk),
        "memberships-0-organization": str(province.pk),
        "memberships-0-role": Role.SECURITY_ADMIN,
        "memberships-1-user": str(security_admin.pk),
        "memberships-1-organization": str(province.pk),
        "memberships-1-role": Role.AUDIT_ADMIN,
    }
    url = reverse("admin:accounts_user_change", args=[security_admin.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "三权分立" in response.content.decode()
    assert Membership.objects.filter(user=security_admin).count() == 1
    # Making the security administrator a superuser would give them the system duty too.
    data["memberships-TOTAL_FORMS"] = "1"
    response = client.post(url, {**data, "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 200 and "三权分立" in response.content.decode()
    security_admin.refresh_from_db()
    assert not security_admin.is_superuser


# --- the admin site is audited -----------------------------------------------------------------------


def test_admin_site_edits_write_audit_events(client, province, chengdu):
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_organization_change", args=[chengdu.pk]),
        {
            "name": "成都市人社局（改名）",
            "kind": chengdu.kind,
            "region": chengdu.region_id,
            "parent": province.pk,
            "is_active": "on",
            "registration_state": "confirmed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(chengdu.pk))
    assert event.actor == root and event.object_type == "accounts.organization"
    assert "名称" in event.comment
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "made_in_admin",
            "password1": "Adm1n-made-Pass!",
            "password2": "Adm1n-made-Pass!",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = User.objects.get(username="made_in_admin")
    assert made.must_change_password
    assert AuditEvent.objects.filter(action="admin.added", object_id=str(made.pk), actor=root).exists()


def test_superusers_do_not_read_the_audit_trail_in_the_admin_site(client):
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    client.force_login(root)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


# --- the audit administrator -------------------------------------------------------------------------


def test_the_audit_admin_reads_every_duty_s_actions(client, audit_admin, security_admin, provincial_admin):
    audit_record(actor=security_admin, action="security.lockout_released", comment="username=x ip=1.2.3.4")
    audit_record(actor=provincial_admin, action="region.flags_changed")
    client.force_login(audit_admin)
    page = client.get(reverse("audit:events")).context["page"]
    actions = {(e.actor_id, e.action) for e in page.object_list}
    assert (security_admin.pk, "security.lockout_released") in actions
    assert (provincial_admin.pk, "region.flags_changed") in actions


def test_the_audit_admin_does_nothing_else(client, audit_admin):
    client.force_login(audit_admin)
    for url in [
        reverse("accounts:regions"),
        reverse("accounts:lockouts"),
        reverse("accounts:otp"),
        reverse("hours:keys"),
        reverse("hours:years"),
        reverse("accounts:registrations"),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("accounts:organizations")).context["page"].paginator.count == 0


def test_the_security_admin_sees_no_business_data(client, security_admin, institution):
    assert not visible_to(security_admin).exists()
    client.force_login(security_admin)
    assert client.get(reverse("audit:events")).status_code == 404
    assert client.get(reverse("accounts:regions")).status_code == 404


# --- lockouts ---------------------------------------------------------------------------------------


def _lock_out(client, username):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": username, "password": "wrong-password"})


def test_the_security_admin_lifts_a_lockout(client, institution, security_admin):
    member(institution, Role.BASE_OPERATOR, username="op")
    _lock_out(client, "op")
    assert (
        client.post(reverse("accounts:login"), {"username": "op", "password": TEST_PASSWORD}).status_code
        == 429
    )
    attempt = security.lockout_list().get()
    client.force_login(security_admin)
    assert "op" in client.get(reverse("accounts:lockouts")).content.decode()
    response = client.post(reverse("accounts:lockout_release", args=[attempt.pk]))
    assert response.status_code == 302
    assert not security.lockout_list().exists()
    event = AuditEvent.objects.get(action="security.lockout_released")
    assert event.actor == security_admin and "username=op" in event.comment
    client.logout()
    assert (
        client.post(reverse("accounts:login"), {"username": "op", "password": TEST_PASSWORD}).status_code
        == 302
    )


def test_other_roles_cannot_lift_a_lockout(client, institution, provincial_admin, audit_admin):
    member(institution, Role.BASE_OPERATOR, username="op")
    _lock_out(client, "op")
    attempt = security.lockout_list().get()
    for user in (provincial_admin, audit_admin):
        client.force_login(user)
        assert client.get(reverse("accounts:lockouts")).status_code == 404
        assert client.post(reverse("accounts:lockout_release", args=[attempt.pk])).status_code == 404
        with pytest.raises(PermissionRefused):
            security.lockout_release(actor=user, attempt_id=attempt.pk)
    assert security.lockout_list().exists()
    assert not AuditEvent.objects.filter(action="security.lockout_released").exists()


def test_an_expired_lockout_is_no_longer_listed_or_released(client, institution, security_admin, settings):
    member(institution, Role.BASE_OPERATOR, username="op")
    _lock_out(client, "op")
    attempt = security.lockout_list().get()
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2
    )
    with pytest.raises(NotVisible):
        security.lockout_release(actor=security_admin, attempt_id=attempt.pk)


# --- API keys ------------------------------------------------------------------------------------


@pytest.fixture
def feed_key(provincial_admin):
    key, _secret = hours_services.api_key_issue(
        actor=provincial_admin, label="省系统", scope=ApiKey.Scope.FEED
    )
    return key


def test_the_security_admin_revokes_any_api_key(client, security_admin, feed_key):
    client.force_login(security_admin)
    assert feed_key.prefix in client.get(reverse("hours:keys")).content.decode()
    assert client.post(reverse("hours:key_revoke_any", args=[feed_key.pk])).status_code == 302
    feed_key.refresh_from_db()
    assert feed_key.revoked_at is not None
    assert AuditEvent.objects.get(action="api_key.revoked").actor == security_admin


def test_other_roles_cannot_use_the_security_admin_s_key_page(client, audit_admin, cd_admin, feed_key):
    for user in (audit_admin, cd_admin):
        client.force_login(user)
        assert client.get(reverse("hours:keys")).status_code == 404
        assert client.post(reverse("hours:key_revoke_any", args=[feed_key.pk])).status_code == 404
        with pytest.raises(NotVisible):
            hours_services.api_key_revoke(actor=user, key=feed_key)
    feed_key.refresh_from_db()
    assert feed_key.revoked_at is None


# --- two-factor resets -------------------------------------------------------------------------------


def test_otp_reset_is_refused_when_two_factor_is_not_installed(security_admin, institution):
    if apps.is_installed("django_otp"):
        pytest.skip("django-otp is installed: see test_the_security_admin_resets_two_factor")
    target = member(institution, Role.BASE_OPERATOR)
    with pytest.raises(WrongState):
        security.otp_reset(actor=security_admin, user=target)


@pytest.mark.skipif(
    not apps.is_installed("django_otp.plugins.otp_totp"), reason="django-otp TOTP not installed"
)
def test_the_security_admin_resets_two_factor(client, security_admin, provincial_admin, chengdu):
    from django_otp import devices_for_user
    from django_otp.plugins.otp_totp.models import TOTPDevice

    target = member(chengdu, Role.AUTHORITY_REVIEWER, username="lost_phone")
    TOTPDevice.objects.create(user=target, name="手机", confirmed=True)
    with pytest.raises(PermissionRefused):
        security.otp_reset(actor=provincial_admin, user=target)
    client.force_login(provincial_admin)
    assert client.post(reverse("accounts:otp_reset", args=[target.pk])).status_code == 404
    client.force_login(security_admin)
    assert "lost_phone" in client.get(reverse("accounts:otp"), {"q": "lost"}).content.decode()
    assert client.post(reverse("accounts:otp_reset", args=[target.pk])).status_code == 302
    assert list(devices_for_user(target, confirmed=None)) == []
    event = AuditEvent.objects.get(action="security.otp_reset")
    assert event.actor == security_admin and event.object_id == str(target.pk)
    with pytest.raises(WrongState):
        security.otp_reset(actor=security_admin, user=target)  # nothing left to reset


@pytest.mark.skipif(
    not apps.is_installed("django_otp.plugins.otp_totp"), reason="django-otp TOTP not installed"
)
def test_a_security_admin_cannot_reset_their_own_two_factor(security_admin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=security_admin, name="手机", confirmed=True)
    with pytest.raises(PermissionRefused):
        security.otp_reset(actor=security_admin, user=security_admin)
    assert TOTPDevice.objects.filter(user=security_admin).exists()


def test_the_provincial_admin_keeps_its_system_duties(client, provincial_admin, province, chengdu):
    """The provincial administrator is the system administrator: accounts, reference data, batches, years."""
    from applications.permissions import can_manage_batches

    client.force_login(provincial_admin)
    assert client.get(reverse("accounts:regions")).status_code == 200
    assert client.get(reverse("hours:years")).status_code == 200
    assert client.get(reverse("accounts:members", args=[chengdu.pk])).status_code == 200
    assert can_manage_batches(provincial_admin, province)
    assert _create(provincial_admin, province, [Role.AUDIT_ADMIN]).memberships.get().role == Role.AUDIT_ADMIN


def test_the_audit_admin_filters_by_duty(client, audit_admin, security_admin, provincial_admin):
    audit_record(actor=security_admin, action="security.lockout_released")
    audit_record(actor=provincial_admin, action="region.flags_changed")
    client.force_login(audit_admin)
    page = client.get(reverse("audit:events"), {"duty": Role.SECURITY_ADMIN}).context["page"]
    assert [e.action for e in page.object_list] == ["security.lockout_released"]
    page = client.get(reverse("audit:events"), {"duty": Role.PROVINCIAL_ADMIN}).context["page"]
    assert [e.action for e in page.object_list] == ["region.flags_changed"]


def test_admin_site_membership_edits_are_audited(client, province):
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    target = member(province, Role.AUTHORITY_REVIEWER, username="sc_rev")
    existing = target.memberships.get()
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {
            "username": target.username,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(existing.pk),
            "memberships-0-user": str(target.pk),
            "memberships-0-organization": str(province.pk),
            "memberships-0-role": Role.AUTHORITY_REVIEWER,
            "memberships-1-user": str(target.pk),
            "memberships-1-organization": str(province.pk),
            "memberships-1-role": Role.AUDIT_ADMIN,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert target.memberships.filter(role=Role.AUDIT_ADMIN).exists()
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(target.pk))
    assert "成员角色" in event.comment and event.actor == root
