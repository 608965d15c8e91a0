"""The expert pool (issue 18): an expert edits their own profile, an admin of the pool's authority edits its
experts' profiles, nobody else; the pool pages list the experts an authority draws from with their record."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import services
from applications.models import ExpertProfile
from audit.models import AuditEvent
from kit.errors import InvalidInput, PermissionRefused

pytestmark = pytest.mark.django_db


def test_an_expert_edits_their_own_profile(client, world):
    expert = world.experts[0]
    client.force_login(expert)
    url = reverse("applications:expert_profile")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "fields_text": "数字经济、智能制造",
            "title": "教授",
            "employer_name": "四川大学",
            "region": "510100",
            "available": "on",
        },
    )
    assert response.status_code == 302
    profile = ExpertProfile.objects.get(user=expert)
    assert (profile.fields, profile.employer_label, profile.region_id) == (
        ["数字经济", "智能制造"],
        "四川大学",
        "510100",
    )
    assert AuditEvent.objects.filter(action="expert.profile_updated", actor=expert).exists()


def test_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.experts[0])
    response = client.post(
        reverse("applications:expert_profile"),
        {"fields_text": "", "title": "保留这段职称", "region": "999999"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "保留这段职称" in body and "专业领域" in body
    assert not ExpertProfile.objects.exists()


def test_unavailability_needs_a_reason(world):
    with pytest.raises(InvalidInput) as refused:
        services.expert_profile_update(
            actor=world.experts[0], expert=world.experts[0], data={"fields": ["数字经济"], "available": False}
        )
    assert "unavailable_note" in refused.value.field_errors


def test_the_pool_admin_edits_an_expert_and_others_may_not(client, world):
    world.pool.parent = world.province
    world.pool.save()
    expert = world.experts[1]
    services.expert_profile_update(
        actor=world.sc_admin, expert=expert, data={"fields": ["数字经济"], "title": "研究员"}
    )
    assert ExpertProfile.objects.get(user=expert).title == "研究员"
    for outsider in (world.cd_admin, world.cd_reviewer, world.experts[0], world.operator):
        with pytest.raises(PermissionRefused):
            services.expert_profile_update(actor=outsider, expert=expert, data={"title": "改"})
    with pytest.raises(PermissionRefused):
        services.expert_profile_update(actor=world.sc_admin, expert=world.operator, data={"title": "改"})
    client.force_login(world.cd_reviewer)  # reads the provincial pool it draws from, edits nothing
    response = client.get(reverse("applications:expert", args=[expert.pk]))
    assert response.status_code == 200 and response.context["form"] is None


def test_the_pool_page_lists_the_experts_with_their_record(client, world):
    app = world.to_state("site_visit")
    client.force_login(world.cd_reviewer)
    response = client.get(reverse("applications:expert_pool"))
    assert response.status_code == 200
    assert response.content.decode().count("/applications/experts/") >= 4
    body = client.get(reverse("applications:expert", args=[world.experts[0].pk])).content.decode()
    assert str(app) in body and "已提交评分" in body
    client.force_login(world.operator)
    assert client.get(reverse("applications:expert_pool")).status_code == 404
    assert client.get(reverse("applications:expert", args=[world.experts[0].pk])).status_code == 404
    member_role = world.experts[0].memberships.get(role=Role.EXPERT)
    assert member_role.organization == world.pool
