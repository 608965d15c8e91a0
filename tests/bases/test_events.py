"""A base's history (信息与变更) says what changed by the facts' names (R-34), and the audit page names and links a
base instead of showing its id (issue "A portal people can find their way in", "Words, not codes")."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.labels import describe_comment
from audit.models import AuditEvent
from audit.services import audit_record
from bases import services, workflow
from bases.selectors import base_links
from tests.factories import member

pytestmark = pytest.mark.django_db


def history(client, user, base) -> str:
    client.force_login(user)
    page = client.get(reverse("bases:history", args=[base.pk])).content.decode()
    start = page.index('data-testid="history"')
    return page[start : page.index("</ol>", start)]


def test_an_approved_change_is_told_by_the_names_of_the_facts_it_changed(client, reg):
    base = reg.base(name="旧名称基地")
    facts = {**services.base_facts(base), "name": "新名称基地", "contact_phone": "028-2"}
    cr = services.change_request_create(actor=reg.operator, base=base, proposed=facts, reasons="更名")
    workflow.MACHINE.run(cr, "approve", actor=reg.cd_approver, comment="同意")
    event = AuditEvent.objects.get(action="base.changed")
    assert event.comment == "name, contact_phone"
    page = history(client, reg.operator, base)
    assert "变更了 基地名称、联系电话" in page
    assert "提交变更申请" in page and "同意" in page
    assert "change request" not in page and f"#{cr.pk}" not in page and "contact_phone" not in page


def test_an_older_change_event_does_not_show_the_requests_id():
    assert describe_comment(AuditEvent(action="base.changed", comment="change request #3")) == ""


def test_an_import_is_told_in_words():
    event = AuditEvent(action="bases.imported", comment="rows=5 created=2 updated=1 unchanged=2")
    assert describe_comment(event) == "共 5 行：新增 2 个，更新 1 个，未变 2 个"


def test_a_filing_names_the_department_it_is_filed_with():
    assert describe_comment(AuditEvent(action="base.filed", comment="报四川省人力资源和社会保障厅备案")) == (
        "四川省人力资源和社会保障厅"
    )


def test_a_base_opens_its_history_for_its_staff_and_its_public_page_for_others(client, reg):
    audit_admin = member(reg.province, Role.AUDIT_ADMIN, username="auditor")
    base = reg.base(name="链接基地")
    assert base_links(reg.operator, [str(base.pk)]) == {
        str(base.pk): reverse("bases:history", args=[base.pk])
    }
    assert base_links(audit_admin, [str(base.pk), "x"]) == {
        str(base.pk): reverse("bases:detail", args=[base.pk])
    }
    audit_record(actor=reg.cd_approver, action="base.revoke", obj=base, comment="弄虚作假")
    client.force_login(audit_admin)
    page = client.get(reverse("audit:events")).content.decode()
    assert f'<a href="{reverse("bases:detail", args=[base.pk])}">链接基地</a>' in page
    assert "继续教育基地" in page and f"#{base.pk}" not in page
