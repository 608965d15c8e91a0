"""The jurisdiction rule (R-03) that every visible_to(user) selector is built on."""

import pytest

from accounts.jurisdiction import actor_for, restrict
from accounts.models import Organization, Role
from tests.factories import InstitutionFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def authority_scoped(user):
    # Organizations stand in for any model with an approving authority (`parent`) and an owner (`pk`).
    return set(restrict(Organization.objects.all(), user, authority_field="parent", institution_field="pk"))


def test_municipal_authority_sees_only_objects_it_approves(chengdu, mianyang):
    a = InstitutionFactory(parent=chengdu)
    b = InstitutionFactory(parent=mianyang)
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER)
    assert authority_scoped(reviewer) == {a}
    assert b not in authority_scoped(reviewer)


def test_provincial_hr_sees_everything(province, chengdu, mianyang):
    InstitutionFactory(parent=chengdu)
    InstitutionFactory(parent=mianyang)
    reviewer = member(province, Role.AUTHORITY_REVIEWER)
    assert actor_for(reviewer).is_provincial
    assert authority_scoped(reviewer) == set(Organization.objects.all())


def test_institution_sees_only_itself(institution, other_institution):
    operator = member(institution, Role.BASE_OPERATOR)
    assert authority_scoped(operator) == {institution}


def test_user_without_membership_and_anonymous_see_nothing(institution):
    from django.contrib.auth.models import AnonymousUser

    assert authority_scoped(UserFactory()) == set()
    assert authority_scoped(AnonymousUser()) == set()


def test_expert_sees_nothing_through_authority_scope(province, institution):
    pool = Organization.objects.create(name="专家库", kind="expert_pool", region_id="510000")
    expert = member(pool, Role.EXPERT)
    assert authority_scoped(expert) == set()


def test_deactivated_organization_grants_nothing(chengdu):
    InstitutionFactory(parent=chengdu)
    reviewer = member(chengdu, Role.AUTHORITY_REVIEWER)
    chengdu.is_active = False
    chengdu.save()
    assert authority_scoped(reviewer) == set()
