"""AuditEvent is append-only; the provincial administrator reads and exports it."""

import io

import pytest
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(provincial_admin):
    return audit_record(actor=provincial_admin, action="test.happened", comment="first")


def test_audit_event_refuses_update_through_save(event):
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).comment == "first"


def test_audit_event_refuses_queryset_update_and_delete(event):
    with pytest.raises(AppendOnlyError, match="cannot be updated"):
        AuditEvent.objects.filter(pk=event.pk).update(comment="x")
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, comment="first").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_database_refuses_raw_update_of_audit_event(event):
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET comment = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).comment == "first"


def test_admin_offers_no_change_or_delete(admin_client, event):
    assert admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code in (
        200,
        403,
    )
    response = admin_client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_event_records_ip_from_request(client, provincial_admin):
    client.force_login(provincial_admin)
    client.post(
        reverse("accounts:region_edit", args=["510105"]), {"is_remote_area": "on"}, REMOTE_ADDR="10.1.2.3"
    )
    assert AuditEvent.objects.get(action="region.flags_changed").ip_address == "10.1.2.3"


def test_audit_admin_filters_audit_events(client, provincial_admin, audit_admin, event):
    audit_record(actor=provincial_admin, action="other.thing")
    client.force_login(audit_admin)
    response = client.get(reverse("audit:events"), {"action": "test.happened"})
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [e.action for e in rows] == ["test.happened"]


def test_audit_list_uses_keyset_pages(client, provincial_admin, audit_admin):
    for i in range(60):
        audit_record(actor=provincial_admin, action="bulk", comment=str(i))
    client.force_login(audit_admin)
    first = client.get(reverse("audit:events"), {"action": "bulk"}).context["page"]
    assert len(first.object_list) == 50
    second = client.get(reverse("audit:events"), {"action": "bulk", "before": first.next_cursor}).context[
        "page"
    ]
    assert len(second.object_list) == 10
    assert not {e.pk for e in first.object_list} & {e.pk for e in second.object_list}


def test_audit_export_is_an_excel_workbook_and_is_itself_audited(
    client, provincial_admin, audit_admin, event
):
    client.force_login(audit_admin)
    response = client.get(reverse("audit:export"), {"action": "test.happened"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][3] == "操作"
    assert [r[3] for r in rows[1:]] == ["test.happened"]
    assert AuditEvent.objects.filter(action="audit.exported", actor=audit_admin).exists()


def test_other_roles_cannot_read_audit_trail(client, cd_admin, provincial_admin, security_admin):
    # 三权分立: the system and security administrators do not read the trail that records them.
    for user in (cd_admin, provincial_admin, security_admin):
        client.force_login(user)
        assert client.get(reverse("audit:events")).status_code == 404
        assert client.get(reverse("audit:export")).status_code == 404
