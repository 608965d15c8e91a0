"""Starting the plan the deadline is about, and deleting a draft started by mistake."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from kit.errors import WrongState
from plans import services, workflow
from plans.models import AnnualPlan, PlanItem
from tests.status_panel import assert_actions_before_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_4_december_2026(monkeypatch):
    monkeypatch.setattr("plans.views.timezone.localdate", lambda: datetime.date(2026, 12, 4))


def test_primary_button_starts_the_plan_due_on_31_december(client, pw, on_4_december_2026):
    client.force_login(pw.operator)
    body = client.get(reverse("plans:list")).content.decode()
    primary = body.split('data-testid="start-plan"', 1)[1].split("</button>", 1)[0]
    assert "2027 年度计划" in primary and "2026年12月31日 前报送" in primary
    late = body.split('data-testid="start-late-plan"', 1)[1].split("</button>", 1)[0]
    assert "补报" in late and "2026 年度计划" in late and "已逾期" in late
    assert body.index('name="year" value="2027"') < body.index('name="year" value="2026"')


def test_no_primary_button_once_next_years_plan_exists(client, pw, on_4_december_2026):
    pw.plan(year=2027)
    client.force_login(pw.operator)
    body = client.get(reverse("plans:list")).content.decode()
    assert 'data-testid="start-plan"' not in body
    assert 'data-testid="start-late-plan"' in body  # 2026 is still missing, offered as a late filing only


def test_draft_started_by_mistake_is_deleted_with_its_items_and_audited(client, pw):
    plan = pw.plan(year=2027, items=2)
    client.force_login(pw.operator)
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-action="delete"' in detail and "data-confirm=" in detail
    response = client.post(reverse("plans:delete", args=[plan.pk]))
    assert response.status_code == 302 and response.url == reverse("plans:list")
    assert not AnnualPlan.objects.filter(pk=plan.pk).exists()
    assert not PlanItem.objects.filter(plan_id=plan.pk).exists()
    event = AuditEvent.objects.get(action="plan.deleted")
    assert event.object_id == str(plan.pk) and event.actor == pw.operator and "2027" in event.comment


def test_plan_once_submitted_cannot_be_deleted(pw):
    plan = pw.to_state("host_review")
    with pytest.raises(WrongState, match="不能修改"):
        services.plan_delete_draft(actor=pw.operator, plan=plan)
    workflow.MACHINE.run(plan, "host_return", actor=pw.host, comment="请补充")
    plan.refresh_from_db()
    with pytest.raises(WrongState, match="只有从未报送的草稿计划可以删除"):
        services.plan_delete_draft(actor=pw.operator, plan=plan)
    assert AnnualPlan.objects.filter(pk=plan.pk).exists()


def test_only_the_bases_staff_may_delete_a_draft(client, pw):
    plan = pw.plan(year=2027)
    client.force_login(pw.cd_reviewer)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-action="delete"' not in body
    client.post(reverse("plans:delete", args=[plan.pk]))
    assert AnnualPlan.objects.filter(pk=plan.pk).exists()
    assert not AuditEvent.objects.filter(action="plan.deleted").exists()


def test_plan_page_shows_state_who_acts_next_and_the_users_actions_at_the_top(client, pw):
    plan = pw.to_state("host_review")
    client.force_login(pw.host)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    panel = body.split('data-testid="status-panel"', 1)[1].split("</section>", 1)[0]
    assert "建设单位审核中" in panel
    assert f"由{plan.base.institution.name}的建设单位审核人审核" in panel
    assert "审核同意" in panel and "退回修改" in panel and 'href="#actions"' in panel
    # The actions come right below the panel on a narrow screen, beside the content on a wide one, and
    # before the history in the page.
    assert 'class="col-lg-4 order-lg-last" id="actions"' in body
    assert_actions_before_history(body)
    assert body.index('id="actions"') < body.index('id="sec-items"')
    client.force_login(pw.operator)
    panel = (
        client.get(reverse("plans:detail", args=[plan.pk]))
        .content.decode()
        .split('data-testid="status-panel"')[1]
    )
    assert "当前无需您办理" in panel.split("</section>")[0]
