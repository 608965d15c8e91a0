"""Password history, expiry and the forced change (等保 2.0 level 3, GB/T 22239-2019 8.1.4.1; DESIGN: Personal
data and security). Replays of the issue's reproductions: an admin-known password used for good, a staff password
never changed, the same password set again."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import PasswordHistory, Role, User
from audit.models import AuditEvent
from kit.errors import InvalidInput, NotVisible
from tests.factories import TEST_PASSWORD, member, valid_credit_code
from tests.two_factor import sign_in_with_code, totp_code, totp_device

pytestmark = pytest.mark.django_db

NEW = "Fresh-Passw0rd!2026"


def _set(user, password):
    user.set_password(password)
    user.save()


def login(client, username, password=TEST_PASSWORD):
    # Staff pass the second step too (sec-2fa): the code of an authenticator set up for the test.
    return sign_in_with_code(client, username, password)


def change(client, old, new, **extra):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new, **extra},
    )


# --- history -------------------------------------------------------------------------------------------


def test_every_password_set_is_recorded_and_only_the_last_five_kept(institution):
    user = member(institution, Role.BASE_OPERATOR)
    assert PasswordHistory.objects.filter(user=user).count() == 1  # the factory's password
    for n in range(6):
        _set(user, f"Rotating-Pass{n}!x")
    assert PasswordHistory.objects.filter(user=user).count() == 5
    user.refresh_from_db()
    assert user.password_changed_at is not None


def test_none_of_the_last_five_passwords_may_be_reused(institution):
    user = member(institution, Role.BASE_OPERATOR)  # TEST_PASSWORD first
    for n in range(1, 6):
        _set(user, f"Rotating-Pass{n}!x")
    # The current one and the four before it are refused; the sixth-last is allowed again.
    for n in range(1, 6):
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(f"Rotating-Pass{n}!x", user=user)
    validate_password(TEST_PASSWORD, user=user)


def test_password_change_page_refuses_the_current_password(client, institution):
    user = member(institution, Role.BASE_OPERATOR)
    client.force_login(user)
    response = change(client, TEST_PASSWORD, TEST_PASSWORD)
    assert response.status_code == 200
    assert "最近 5 次" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_changed").exists()


def test_a_new_registration_has_no_history_to_refuse():
    validate_password(TEST_PASSWORD, user=User(username="newcomer"))


# --- first sign-in of an account an administrator created ---------------------------------------------


def _create_by_admin(client, cd_admin, chengdu, username="cd_new"):
    client.force_login(cd_admin)
    response = client.post(
        reverse("accounts:members", args=[chengdu.pk]),
        {
            "username": username,
            "full_name": "新审核员",
            "email": f"{username}@example.test",
            "roles": [Role.AUTHORITY_REVIEWER],
            "password": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    client.logout()
    return User.objects.get(username=username)


def test_account_created_by_an_admin_changes_its_password_before_anything_else(client, cd_admin, chengdu):
    user = _create_by_admin(client, cd_admin, chengdu)
    assert user.must_change_password
    assert login(client, "cd_new").status_code == 302
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change") + "?next=")
    page = client.get(response.url).content.decode()
    assert "请先修改密码" in page
    response = change(client, TEST_PASSWORD, NEW, next=reverse("applications:list"))
    assert response.status_code == 302 and response.url == reverse("applications:list")
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("applications:list")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_changed", actor=user).count() == 1


def test_forced_change_lets_logout_static_and_two_factor_through(client, cd_admin, chengdu):
    _create_by_admin(client, cd_admin, chengdu)
    login(client, "cd_new")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    assert client.get("/static/vendor/does-not-exist.css").status_code == 404  # not redirected
    assert client.get("/accounts/two-factor/setup/").status_code == 404  # sec-2fa's pages, not redirected
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_forced_change_answers_the_api_with_403_and_refuses_a_token(client, cd_admin, chengdu):
    user = _create_by_admin(client, cd_admin, chengdu)
    login(client, "cd_new")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    client.logout()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "cd_new", "password": TEST_PASSWORD, "otp": totp_code(totp_device(user))},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_self_registered_admin_is_not_forced_to_change(client):
    client.post(
        reverse("accounts:register"),
        {
            "name": "自主注册学院",
            "credit_code": valid_credit_code(),
            "institution_type": "university",
            "region": "510104",
            "address": "锦江区某路 1 号",
            "full_name": "注册人",
            "phone": "028-1",
            "email": "self@example.test",
            "username": "self_reg",
            "password": TEST_PASSWORD,
            "password_confirm": TEST_PASSWORD,
        },
    )
    user = User.objects.get(username="self_reg")
    assert not user.must_change_password


# --- reset by an administrator ------------------------------------------------------------------------


def test_admin_reset_sets_a_temporary_password_and_is_audited(client, cd_admin, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    client.force_login(cd_admin)
    response = client.post(
        reverse("accounts:member_password", args=[chengdu.pk, reviewer.pk]), {"password": NEW}
    )
    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password(NEW) and reviewer.must_change_password
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor == cd_admin and event.object_id == str(reviewer.pk)
    assert NEW not in event.comment


def test_admin_reset_refuses_a_weak_password_and_saves_nothing(client, cd_admin, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    client.force_login(cd_admin)
    response = client.post(
        reverse("accounts:member_password", args=[chengdu.pk, reviewer.pk]),
        {"password": "short"},
        follow=True,
    )
    assert "密码太短" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password(TEST_PASSWORD) and not reviewer.must_change_password
    assert not AuditEvent.objects.filter(action="account.password_reset").exists()


def test_admin_reset_of_another_authority_or_by_a_reviewer_is_404(client, cd_admin, my_admin, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    url = reverse("accounts:member_password", args=[chengdu.pk, reviewer.pk])
    client.force_login(my_admin)
    assert client.post(url, {"password": NEW}).status_code == 404
    client.force_login(member(chengdu, Role.AUTHORITY_APPROVER, username="cd_appr"))
    assert client.post(url, {"password": NEW}).status_code == 404
    with pytest.raises(NotVisible):
        services.user_reset_password(actor=my_admin, organization=chengdu, user=reviewer, password=NEW)
    reviewer.refresh_from_db()
    assert reviewer.check_password(TEST_PASSWORD)


def test_admin_reset_refuses_a_recent_password(cd_admin, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    with pytest.raises(InvalidInput) as exc:
        services.user_reset_password(
            actor=cd_admin, organization=chengdu, user=reviewer, password=TEST_PASSWORD
        )
    assert "最近 5 次" in str(exc.value.field_errors)


def test_django_admin_password_reset_forces_a_change_and_is_audited(client, institution):
    root = User.objects.create_superuser("root", "root@example.test", TEST_PASSWORD)
    operator = member(institution, Role.BASE_OPERATOR, username="op")
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[operator.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    operator.refresh_from_db()
    assert operator.check_password(NEW) and operator.must_change_password
    assert AuditEvent.objects.filter(action="admin.changed", object_id=str(operator.pk), actor=root).exists()


# --- expiry ------------------------------------------------------------------------------------------


def _age(user, days):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))


def test_expired_staff_password_forces_a_change(client, chengdu, settings):
    settings.PASSWORD_EXPIRY_DAYS = 90
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    _age(reviewer, 91)
    login(client, "cd_rev")
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:password_change"))
    assert "90 天" in client.get(response.url).content.decode()
    change(client, TEST_PASSWORD, NEW)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_a_staff_password_younger_than_the_limit_is_kept(client, chengdu, settings):
    settings.PASSWORD_EXPIRY_DAYS = 90
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    _age(reviewer, 89)
    login(client, "cd_rev")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_institution_staff_passwords_do_not_expire(client, institution, settings):
    settings.PASSWORD_EXPIRY_DAYS = 90
    operator = member(institution, Role.BASE_OPERATOR, username="op")
    _age(operator, 400)
    login(client, "op")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_expiry_zero_turns_expiry_off(client, chengdu, settings):
    settings.PASSWORD_EXPIRY_DAYS = 0
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER, username="cd_rev")
    _age(reviewer, 1000)
    login(client, "cd_rev")
    assert client.get(reverse("portal:dashboard")).status_code == 200


@pytest.mark.parametrize("duty", ["security_admin", "audit_admin"])
def test_a_duty_account_is_neither_reset_nor_deactivated_from_the_members_page(
    client, province, duty, request
):
    """三权分立 (issue 13): an authority admin of the provincial department, or the system administrator, could
    otherwise set the security or audit administrator's password (and enrol their own authenticator) or switch
    that duty off. Refused in the service; nothing changes and no audit row is written."""
    from kit.errors import PermissionRefused

    target = request.getfixturevalue(duty)
    for actor in (
        member(province, Role.AUTHORITY_ADMIN, username="sc_admin_t"),
        request.getfixturevalue("provincial_admin"),
    ):
        with pytest.raises(PermissionRefused):
            services.user_reset_password(actor=actor, organization=province, user=target, password=NEW)
        with pytest.raises(PermissionRefused):
            services.user_set_active(actor=actor, organization=province, user=target, active=False)
    client.force_login(member(province, Role.AUTHORITY_ADMIN, username="sc_admin_2"))
    response = client.post(
        reverse("accounts:member_password", args=[province.pk, target.pk]), {"password": NEW}, follow=True
    )
    assert "三权分立" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(TEST_PASSWORD) and target.is_active
    assert not AuditEvent.objects.filter(
        action__in=["account.password_reset", "account.deactivated"], object_id=str(target.pk)
    ).exists()
