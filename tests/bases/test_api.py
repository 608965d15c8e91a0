"""The change-request API (R-34): list, detail and transitions, each refusal with its status."""

import pytest

from audit.models import AuditEvent
from bases import services
from bases.models import ChangeRequest

pytestmark = pytest.mark.django_db


def request_for(reg, base):
    facts = services.base_facts(base) | {"contact_phone": "028-9"}
    return services.change_request_create(actor=reg.operator, base=base, proposed=facts, reasons="换号")


def post(client, user, cr, body):
    client.force_login(user)
    return client.post(f"/api/v1/change-requests/{cr.pk}/transitions/", body, content_type="application/json")


def test_authority_lists_and_reads_change_requests_with_its_actions(client, reg):
    cr = request_for(reg, reg.base())
    client.force_login(reg.cd_approver)
    assert [r["id"] for r in client.get("/api/v1/change-requests/").json()["results"]] == [cr.pk]
    detail = client.get(f"/api/v1/change-requests/{cr.pk}/").json()
    assert detail["state"] == "submitted" and set(detail["available_actions"]) == {"approve", "return"}
    client.force_login(reg.other_operator)
    assert client.get("/api/v1/change-requests/").json()["count"] == 0
    assert client.get(f"/api/v1/change-requests/{cr.pk}/").status_code == 404


def test_approver_approves_a_change_through_the_api(client, reg):
    base = reg.base()
    cr = request_for(reg, base)
    response = post(client, reg.cd_approver, cr, {"action": "approve", "comment": "同意"})
    assert response.status_code == 200 and response.json()["state"] == "approved"
    base.refresh_from_db()
    assert base.contact_phone == "028-9"
    assert AuditEvent.objects.filter(action="change_request.approve", object_id=str(cr.pk)).exists()


def test_change_request_refusals(client, reg):
    cr = request_for(reg, reg.base())
    assert post(client, reg.cd_reviewer, cr, {"action": "approve"}).status_code == 403
    assert post(client, reg.my_approver, cr, {"action": "approve"}).status_code == 404
    no_comment = post(client, reg.cd_reviewer, cr, {"action": "return"})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    assert post(client, reg.cd_reviewer, cr, {"action": "explode"}).status_code == 400
    assert ChangeRequest.objects.get(pk=cr.pk).state == "submitted"
    assert post(client, reg.operator, cr, {"action": "withdraw"}).status_code == 200
    assert post(client, reg.cd_approver, cr, {"action": "approve"}).status_code == 409
