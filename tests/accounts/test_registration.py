"""Institution sign-up (R-05, R-06): credit code validation and uniqueness."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organization, Role, User
from audit.models import AuditEvent
from tests.factories import InstitutionFactory, valid_credit_code

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "name": "测试示范学院",
        "credit_code": valid_credit_code(),
        "institution_type": "university",
        "region": "510107",
        "address": "成都市武侯区测试路 1 号",
        "full_name": "张三",
        "phone": "028-12345678",
        "email": "zhang@example.test",
        "username": "newinst",
        "password": "Str0ng-Passw0rd!",
        "password_confirm": "Str0ng-Passw0rd!",
    }
    data.update(overrides)
    return data


def test_registration_with_valid_credit_code_creates_institution_and_admin(client):
    """R-06: a valid code registers the institution; its first user becomes institution admin."""
    data = form_data()
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302
    org = Organization.objects.get(credit_code=data["credit_code"])
    assert org.kind == Organization.Kind.INSTITUTION
    assert org.region_id == "510107"
    user = User.objects.get(username="newinst")
    assert Membership.objects.filter(user=user, organization=org, role=Role.INSTITUTION_ADMIN).exists()
    event = AuditEvent.objects.get(action="institution.registered")
    assert event.object_id == str(org.pk)
    assert event.actor == user


def test_registration_with_wrong_check_character_is_refused(client):
    """R-06: a code whose GB 32100 check character is wrong is refused with a clear message."""
    code = valid_credit_code()
    wrong_last = "0" if code[-1] != "0" else "1"
    response = client.post(reverse("accounts:register"), form_data(credit_code=code[:-1] + wrong_last))
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Organization.objects.filter(kind="institution").exists()
    assert not User.objects.filter(username="newinst").exists()


@pytest.mark.parametrize("code", ["91510100MA61234", "91510100MA6123456IO", "91510100ma612345!x"])
def test_registration_with_malformed_credit_code_is_refused(client, code):
    response = client.post(reverse("accounts:register"), form_data(credit_code=code))
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()
    assert not User.objects.filter(username="newinst").exists()


def test_registration_with_duplicate_credit_code_is_refused(client):
    """R-06: the code identifies the institution: a second registration with it is refused."""
    existing = InstitutionFactory()
    response = client.post(reverse("accounts:register"), form_data(credit_code=existing.credit_code))
    assert response.status_code == 200
    assert "已注册" in response.content.decode()
    assert Organization.objects.filter(credit_code=existing.credit_code).count() == 1
    assert not User.objects.filter(username="newinst").exists()


def test_lowercase_and_spaced_code_is_normalized(client):
    code = valid_credit_code()
    spaced = f" {code[:6].lower()} {code[6:]} "
    response = client.post(reverse("accounts:register"), form_data(credit_code=spaced))
    assert response.status_code == 302
    assert Organization.objects.filter(credit_code=code).exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1!a", "至少 12 个字符"),
        ("alllowercaseletters", "至少 3 类"),
        ("Password1234", "太常见"),
    ],
)
def test_weak_passwords_are_refused(client, password, message):
    response = client.post(
        reverse("accounts:register"), form_data(password=password, password_confirm=password)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newinst").exists()


def test_institution_type_outside_article_9_is_refused(client):
    """R-05: only the institution types of Art. 9 may register."""
    response = client.post(reverse("accounts:register"), form_data(institution_type="restaurant"))
    assert response.status_code == 200
    assert not User.objects.filter(username="newinst").exists()
