"""Whose figures a user reads (R-03): the jurisdiction holds for every filter."""

import pytest

from accounts.models import Role
from kit.errors import NotVisible, PermissionRefused
from stats import figures, hours_figures
from stats.scope import Scope, scope_for, scope_is_within_jurisdiction
from tests.factories import member

from .conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    w = world
    return [
        w.base(),
        w.base(),
        w.base(authority=w.mianyang, prefecture="510700", institution=w.other_institution),
        w.base(authority=w.industry, prefecture="510700"),
        w.base(authority=w.province, level="provincial"),
    ]


def test_the_provincial_department_reads_the_province(provincial_admin, spread):
    scope = scope_for(provincial_admin, year=YEAR)
    assert scope.is_province and scope.key == "all"
    assert figures.bases_summary(scope)["recognised"] == 5


def test_a_municipal_reviewer_never_sees_another_prefectures_figures(my_reviewer, spread):
    scope = scope_for(my_reviewer, year=YEAR)
    rows = {r["key"]: r["count"] for r in figures.bases_by(scope, "prefecture")}
    assert rows["510700"] == 1 and rows["510100"] == 0
    assert scope_is_within_jurisdiction(my_reviewer, scope)
    # Asking for Chengdu's prefecture gives Mianyang's bases there: none.
    chengdu = scope_for(my_reviewer, year=YEAR, prefecture="510100")
    assert figures.bases_summary(chengdu)["recognised"] == 0
    assert hours_figures.hours_summary_live(chengdu)["persons"] == 0


def test_another_authoritys_filter_is_not_found(my_reviewer, world, spread):
    with pytest.raises(NotVisible, match="未找到该部门"):
        scope_for(my_reviewer, authority_id=world.chengdu.pk)
    assert scope_for(my_reviewer, authority_id=world.mianyang.pk).authority_ids == {world.mianyang.pk}


def test_the_province_may_filter_by_any_authority(provincial_admin, world, spread):
    scope = scope_for(provincial_admin, year=YEAR, authority_id=world.industry.pk)
    assert scope.key == f"a:{world.industry.pk}"
    assert figures.bases_summary(scope)["recognised"] == 1


def test_an_unknown_prefecture_is_not_found(provincial_admin):
    with pytest.raises(NotVisible):
        scope_for(provincial_admin, prefecture="510104")  # a county, not a prefecture


def test_an_industry_authority_reads_its_own_bases(world, spread):
    user = member(world.industry, Role.AUTHORITY_APPROVER)
    scope = scope_for(user, year=YEAR)
    assert figures.bases_summary(scope)["recognised"] == 1


def test_an_institution_reads_its_own_bases_only(world, spread):
    inst_admin = member(world.institution, Role.INSTITUTION_ADMIN)
    scope = scope_for(inst_admin, year=YEAR)
    assert scope.key == "" and scope.institution_ids == {world.institution.pk}
    assert figures.bases_summary(scope)["recognised"] == 4
    assert scope_is_within_jurisdiction(inst_admin, scope)


@pytest.mark.parametrize("who", ["expert", "security_admin", "audit_admin"])
def test_roles_without_statistics_are_refused(request, who):
    with pytest.raises(PermissionRefused):
        scope_for(request.getfixturevalue(who))


def test_scope_keys_of_combined_filters_are_not_precomputed():
    assert Scope(YEAR, authority_ids=frozenset({1}), prefecture="510100").key == ""
    assert Scope(YEAR, prefecture="510100").key == "p:510100"
