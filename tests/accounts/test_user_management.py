"""Authority and institution admins manage the accounts of their own organization, and only those."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role, User
from audit.models import AuditEvent
from tests.factories import member

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "cd_new_reviewer",
    "full_name": "新审核员",
    "email": "new@example.test",
    "phone": "",
    "roles": ["authority_reviewer"],
    "password": "Fresh-Passw0rd-2026",
}


def test_authority_admin_creates_account_in_own_organization(client, cd_admin, chengdu):
    client.force_login(cd_admin)
    response = client.post(reverse("accounts:members", args=[chengdu.pk]), NEW_USER)
    assert response.status_code == 302
    user = User.objects.get(username="cd_new_reviewer")
    assert list(Membership.objects.filter(user=user).values_list("organization_id", "role")) == [
        (chengdu.pk, "authority_reviewer")
    ]
    event = AuditEvent.objects.get(action="account.created")
    assert event.actor == cd_admin
    assert event.organization == chengdu


def test_authority_admin_cannot_manage_users_of_another_authority(client, cd_admin, mianyang):
    """Another authority's account pages answer 404, and nothing is created."""
    client.force_login(cd_admin)
    assert client.get(reverse("accounts:members", args=[mianyang.pk])).status_code == 404
    response = client.post(reverse("accounts:members", args=[mianyang.pk]), NEW_USER)
    assert response.status_code == 404
    assert not User.objects.filter(username="cd_new_reviewer").exists()


def test_authority_admin_cannot_deactivate_user_of_another_authority(client, cd_admin, mianyang):
    victim = member(mianyang, Role.AUTHORITY_REVIEWER)
    client.force_login(cd_admin)
    response = client.post(reverse("accounts:member_active", args=[mianyang.pk, victim.pk]), {"active": "0"})
    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.is_active


def test_role_not_allowed_for_organization_kind_is_refused(client, cd_admin, chengdu):
    client.force_login(cd_admin)
    response = client.post(reverse("accounts:members", args=[chengdu.pk]), {**NEW_USER, "roles": ["expert"]})
    assert response.status_code == 200
    assert not User.objects.filter(username="cd_new_reviewer").exists()


def test_deactivation_is_audited_and_blocks_sign_in(client, cd_admin, chengdu):
    target = member(chengdu, Role.AUTHORITY_REVIEWER, username="to_stop")
    client.force_login(cd_admin)
    response = client.post(reverse("accounts:member_active", args=[chengdu.pk, target.pk]), {"active": "0"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    event = AuditEvent.objects.get(action="account.deactivated")
    assert (event.from_state, event.to_state) == ("active", "inactive")
    client.logout()
    client.post(reverse("accounts:login"), {"username": "to_stop", "password": "Corr3ct-Horse!battery"})
    assert "_auth_user_id" not in client.session


def test_admin_cannot_deactivate_self(client, cd_admin, chengdu):
    client.force_login(cd_admin)
    client.post(reverse("accounts:member_active", args=[chengdu.pk, cd_admin.pk]), {"active": "0"})
    cd_admin.refresh_from_db()
    assert cd_admin.is_active
    assert not AuditEvent.objects.filter(action="account.deactivated").exists()


def test_reviewer_without_admin_role_cannot_manage_accounts(client, chengdu):
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER)
    client.force_login(reviewer)
    assert client.get(reverse("accounts:members", args=[chengdu.pk])).status_code == 404


def test_institution_user_cannot_open_another_organizations_pages(client, institution, other_institution):
    """An institution user gets 404 on another organization's account pages."""
    admin = member(institution, Role.INSTITUTION_ADMIN)
    client.force_login(admin)
    assert client.get(reverse("accounts:members", args=[institution.pk])).status_code == 200
    assert client.get(reverse("accounts:members", args=[other_institution.pk])).status_code == 404


def test_institution_admin_adds_operator_and_host_reviewer(client, institution):
    admin = member(institution, Role.INSTITUTION_ADMIN)
    client.force_login(admin)
    data = {**NEW_USER, "username": "op2", "roles": ["base_operator", "host_reviewer"]}
    response = client.post(reverse("accounts:members", args=[institution.pk]), data)
    assert response.status_code == 302
    roles = set(Membership.objects.filter(user__username="op2").values_list("role", flat=True))
    assert roles == {"base_operator", "host_reviewer"}


def test_only_provincial_admin_grants_provincial_admin(client, province):
    authority_admin = member(province, Role.AUTHORITY_ADMIN)
    client.force_login(authority_admin)
    data = {**NEW_USER, "roles": ["provincial_admin"]}
    response = client.post(reverse("accounts:members", args=[province.pk]), data)
    assert response.status_code == 200
    assert not User.objects.filter(username="cd_new_reviewer").exists()


def test_provincial_admin_manages_any_authority_but_not_institutions(
    client, provincial_admin, mianyang, institution
):
    client.force_login(provincial_admin)
    assert client.get(reverse("accounts:members", args=[mianyang.pk])).status_code == 200
    assert client.get(reverse("accounts:members", args=[institution.pk])).status_code == 404
