"""The region table (GB/T 2260) and its preference flags (R-20)."""

import pytest
from django.urls import reverse

from accounts.models import Region
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_region_table_has_province_21_prefectures_and_183_counties():
    assert Region.objects.filter(level="province").count() == 1
    assert Region.objects.filter(level="prefecture").count() == 21
    assert Region.objects.filter(level="county").count() == 183
    assert Region.objects.filter(level="county", parent__level="prefecture").count() == 183


def test_default_preference_flags_come_from_the_data_file():
    """R-20: the three autonomous prefectures and their counties are ethnic areas by default."""
    assert Region.objects.get(code="513200").is_ethnic_area
    assert Region.objects.get(code="510726").is_ethnic_area  # 北川
    assert Region.objects.get(code="510700").is_old_revolutionary_area  # 绵阳
    assert not Region.objects.get(code="510100").is_ethnic_area


def test_provincial_admin_edits_preference_flags_and_it_is_audited(client, provincial_admin):
    client.force_login(provincial_admin)
    response = client.post(
        reverse("accounts:region_edit", args=["510104"]), {"is_remote_area": "on", "is_ethnic_area": ""}
    )
    assert response.status_code == 302
    region = Region.objects.get(code="510104")
    assert region.is_remote_area
    event = AuditEvent.objects.get(action="region.flags_changed")
    assert event.object_id == "510104"
    assert "is_remote_area: 0→1" in event.comment


def test_authority_admin_cannot_edit_flags(client, cd_admin):
    client.force_login(cd_admin)
    response = client.post(reverse("accounts:region_edit", args=["510104"]), {"is_remote_area": "on"})
    assert response.status_code == 404
    assert not Region.objects.get(code="510104").is_remote_area
