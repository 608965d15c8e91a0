"""The header menu (portal.navigation): built from the apps' entries in kit.nav, grouped by task, seven at most."""

import pytest
from django.urls import reverse

from accounts.jurisdiction import Actor, actor_for
from accounts.models import Membership, Organization, Role
from kit.nav import all_nav_entries
from portal.navigation import MAX_TOP_LEVEL, navigation_for
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db


def menu_of(user):
    return navigation_for(user, actor_for(user))


def labels(menu):
    return [str(entry.label) for entry in menu]


def every_url(menu):
    return [entry.url for entry in menu if entry.url] + [c.url for e in menu for c in e.children]


def test_every_registered_entry_resolves_and_has_a_known_group():
    entries = all_nav_entries()
    assert len(entries) >= 20
    for entry in entries:
        assert reverse(entry.url_name)
        assert entry.group in {"apply", "operation", "supervision", "hours", "system", "public"}


def test_user_holding_every_role_still_gets_seven_entries_at_most(province, chengdu, institution):
    # 三权分立 keeps the three administrators apart in the database; the menu's cap holds even if it did not.
    user = member(province, Role.PROVINCIAL_ADMIN)
    expert_pool = OrganizationFactory(kind=Organization.Kind.EXPERT_POOL)
    memberships = [
        Membership(user=user, organization=org, role=role)
        for org, role in [
            (province, Role.PROVINCIAL_ADMIN),
            (chengdu, Role.AUTHORITY_ADMIN),
            (chengdu, Role.AUTHORITY_REVIEWER),
            (institution, Role.INSTITUTION_ADMIN),
            (institution, Role.BASE_OPERATOR),
            (expert_pool, Role.EXPERT),
            (province, Role.SECURITY_ADMIN),
            (province, Role.AUDIT_ADMIN),
        ]
    ]
    menu = navigation_for(user, Actor(user_id=user.pk, memberships=tuple(memberships)))
    assert len(menu) <= MAX_TOP_LEVEL
    assert labels(menu) == ["我的待办", "申报与认定", "基地运行", "监督检查", "学时", "系统管理", "公开信息"]
    urls = every_url(menu)
    assert len(urls) == len(set(urls))
    for name in ("audit:events", "accounts:lockouts", "hours:years", "applications:expert_assignments"):
        assert reverse(name) in urls


def test_group_with_one_entry_is_a_plain_link(institution):
    operator = member(institution, Role.BASE_OPERATOR)
    menu = menu_of(operator)
    assert labels(menu) == ["我的待办", "申报与认定", "基地运行", "整改", "学时报送", "公开信息"]
    rectifications = menu[3]
    assert rectifications.url == reverse("inspections:rectifications") and not rectifications.children


def test_public_group_lists_the_public_pages_for_signed_in_users(audit_admin):
    menu = menu_of(audit_admin)
    assert labels(menu) == ["我的待办", "审计日志", "公开信息"]
    public = menu[-1]
    assert [c.key for c in public.children] == [
        "home",
        "notices",
        "report_lookup",
        "excellent",
        "hours_verify",
        "open_data",
    ]


def test_visitor_gets_the_public_pages_as_links(client):
    from django.contrib.auth.models import AnonymousUser

    menu = navigation_for(AnonymousUser(), actor_for(AnonymousUser()))
    assert labels(menu) == ["基地名录", "公示公告", "举报查询", "优秀基地", "学时证明验证", "开放数据"]


def test_current_page_marks_its_group(client, cd_admin):
    client.force_login(cd_admin)
    body = client.get(reverse("bases:reports")).content.decode()
    assert 'class="nav-link dropdown-toggle active"' in body
    assert f'aria-current="page" href="{reverse("bases:reports")}"' in body


def test_favicon_is_linked_and_served(client):
    body = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in body
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == "/static/favicon.ico"
