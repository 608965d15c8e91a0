"""factory_boy factories shared by every app's tests."""

import itertools

import factory
from stdnum.cn import uscc

from accounts.models import Membership, Organization, Role, User

TEST_PASSWORD = "Corr3ct-Horse!battery"

_codes = itertools.count(1)


def valid_credit_code() -> str:
    body = f"91510100MA{next(_codes):07d}"
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}")
    kind = Organization.Kind.MUNICIPAL_HR
    region_id = "510100"


class InstitutionFactory(OrganizationFactory):
    kind = Organization.Kind.INSTITUTION
    name = factory.Sequence(lambda n: f"测试施教机构{n}")
    credit_code = factory.LazyFunction(valid_credit_code)
    institution_type = Organization.InstitutionType.UNIVERSITY
    # A registration a test wants pending says so; every other institution is one its authority confirmed.
    registration_state = Organization.RegistrationState.CONFIRMED


def member(organization, role, **user_kwargs) -> User:
    """Create a user holding `role` in `organization`."""
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


__all__ = ["Role", "member", "UserFactory", "OrganizationFactory", "InstitutionFactory", "valid_credit_code"]
