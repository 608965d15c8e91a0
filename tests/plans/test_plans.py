"""Annual plans (R-22): the host-review and filing workflow, the 31 December deadline, amendments, totals."""

import datetime
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from plans import services, workflow
from plans.deadlines import SHANGHAI
from plans.models import AnnualPlan
from plans.selectors import dashboard, execution_summary, plan_totals

pytestmark = pytest.mark.django_db


def sh(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


CASES = [
    # action, from state, allowed, wrong role, comment, to state
    ("submit_to_host", "draft", "operator", "host", "", "host_review"),
    ("host_approve", "host_review", "host", "operator", "", "submitted"),
    ("host_return", "host_review", "host", "cd_reviewer", "请完善", "returned"),
    ("file", "submitted", "cd_reviewer", "host", "", "filed"),
    ("return", "submitted", "cd_approver", "operator", "请补充", "returned"),
]


@pytest.mark.parametrize(("action", "state", "allowed", "wrong", "comment", "target"), CASES)
def test_each_transition_allowed_wrong_role_other_authority_wrong_state_and_audit(
    pw, action, state, allowed, wrong, comment, target
):
    plan = pw.to_state(state)
    with pytest.raises(PermissionRefused):
        workflow.MACHINE.run(plan, action, actor=getattr(pw, wrong), comment=comment)
    with pytest.raises(NotVisible):
        workflow.MACHINE.run(
            plan,
            action,
            actor=pw.my_reviewer if "reviewer" in allowed or "approver" in allowed else pw.other_operator,
            comment=comment,
        )
    result = workflow.MACHINE.run(plan, action, actor=getattr(pw, allowed), comment=comment)
    assert result.state == target
    event = AuditEvent.objects.get(action=f"plan.{action}", object_id=str(plan.pk))
    assert (event.from_state, event.to_state, event.actor) == (state, target, getattr(pw, allowed))
    with pytest.raises(WrongState):
        workflow.MACHINE.run(plan, action, actor=getattr(pw, allowed), comment=comment)


def test_submitted_at_the_last_second_is_on_time(pw):
    plan = pw.to_state("submitted", now=sh(2026, 12, 31, 23, 59, 59))
    assert not plan.is_late


def test_submitted_one_second_late_is_late_and_stays_late(pw):
    """R-22: 00:00:00 on 1 January Beijing time (still 31 December in UTC) is late."""
    plan = pw.to_state("submitted", now=sh(2027, 1, 1, 0, 0, 0))
    plan.refresh_from_db()
    assert plan.is_late
    workflow.MACHINE.run(plan, "return", actor=pw.cd_reviewer, comment="补充")
    workflow.MACHINE.run(plan, "submit_to_host", actor=pw.operator)
    workflow.MACHINE.run(plan, "host_approve", actor=pw.host, now=sh(2027, 1, 2, 9, 0))
    workflow.MACHINE.run(plan, "file", actor=pw.cd_reviewer)
    plan.refresh_from_db()
    assert plan.is_late and plan.state == "filed"
    assert plan.first_submitted_at == sh(2027, 1, 1, 0, 0, 0)


def test_resubmission_after_the_deadline_does_not_make_an_on_time_plan_late(pw):
    plan = pw.to_state("submitted", now=sh(2026, 12, 20, 10, 0))
    workflow.MACHINE.run(plan, "return", actor=pw.cd_reviewer, comment="补充")
    workflow.MACHINE.run(plan, "submit_to_host", actor=pw.operator)
    workflow.MACHINE.run(plan, "host_approve", actor=pw.host, now=sh(2027, 1, 5, 9, 0))
    plan.refresh_from_db()
    assert not plan.is_late


def test_plan_for_the_wrong_base_or_year_is_refused(pw):
    theirs = pw.base(name="别人的基地", institution=pw.other_inst, authority=pw.mianyang, region="510703")
    with pytest.raises(NotVisible):
        services.plan_create(actor=pw.operator, base=theirs, year=2027, today=datetime.date(2026, 11, 25))
    with pytest.raises(InvalidInput, match="本年度或下一年度"):
        services.plan_create(actor=pw.operator, base=pw.b, year=2029, today=datetime.date(2026, 11, 25))
    pw.plan(year=2027)
    with pytest.raises(WrongState, match="已存在"):
        services.plan_create(actor=pw.operator, base=pw.b, year=2027, today=datetime.date(2026, 11, 25))


def test_empty_plan_cannot_be_submitted(pw):
    plan = services.plan_create(actor=pw.operator, base=pw.b, year=2027, today=datetime.date(2026, 11, 25))
    with pytest.raises(WrongState, match="至少要有一个"):
        workflow.MACHINE.run(plan, "submit_to_host", actor=pw.operator)


def test_filed_plan_cannot_be_edited(pw):
    plan = pw.to_state("filed")
    with pytest.raises(WrongState, match="不能修改"):
        services.plan_item_save(actor=pw.operator, plan=plan, data={"title": "x"})


def test_bad_item_is_refused_with_field_errors(pw):
    plan = pw.plan(items=0)
    with pytest.raises(InvalidInput) as exc:
        services.plan_item_save(
            actor=pw.operator,
            plan=plan,
            data={"service_form": "x", "title": "", "planned_classes": "-1", "hours_per_trainee": "0"},
        )
    assert {"service_form", "title", "planned_classes", "hours_per_trainee"} <= set(exc.value.field_errors)
    assert not plan.items.exists()


def test_provincial_plan_below_2000_trainees_is_flagged(pw):
    """R-11: for provincial (and national, R-36) bases, a plan below 2,000 trainees is flagged."""
    provincial = pw.base(name="省级基地", level="provincial", authority=pw.province)
    plan = pw.plan(base=provincial, items=6)  # 6 x 300 = 1800
    assert plan_totals(plan)["below_provincial_scale"]
    services.plan_item_save(actor=pw.operator, plan=plan, data=pw_item(planned_trainees=200))
    assert not plan_totals(plan)["below_provincial_scale"]
    assert not plan_totals(pw.plan(items=1))["below_provincial_scale"]  # municipal: no such rule


def pw_item(**kw):
    from tests.plans.conftest import ITEM

    return {**ITEM, **kw}


def test_amendment_of_a_filed_plan_takes_the_same_path(pw):
    plan = pw.to_state("filed", year=2026, today=datetime.date(2026, 1, 5))
    with pytest.raises(WrongState, match="计划年度内"):
        services.amendment_create(actor=pw.operator, plan=plan, today=datetime.date(2027, 1, 5))
    amendment = services.amendment_create(actor=pw.operator, plan=plan, today=datetime.date(2026, 6, 1))
    assert amendment.kind == "amendment" and amendment.items.count() == 1
    with pytest.raises(WrongState, match="调整理由"):
        workflow.MACHINE.run(amendment, "submit_to_host", actor=pw.operator)
    services.plan_update(actor=pw.operator, plan=amendment, amendment_reason="增加一期研修班")
    workflow.MACHINE.run(amendment, "submit_to_host", actor=pw.operator)
    workflow.MACHINE.run(amendment, "host_approve", actor=pw.host)
    workflow.MACHINE.run(amendment, "file", actor=pw.cd_reviewer)
    amendment.refresh_from_db()
    assert amendment.state == "filed" and not amendment.is_late


def test_dashboard_shows_every_base_with_its_filing_state(pw):
    pw.to_state("filed")
    other = pw.base(name="未编制基地", recognised="2026-06-01")
    late_base = pw.base(name="逾期基地", recognised="2026-06-01")
    pw.to_state("submitted", base=late_base, now=sh(2027, 1, 3, 9, 0))
    data = dashboard(user=pw.cd_reviewer, year=2027)
    states = {r["base"].name: (r["state"], r["late"]) for r in data["rows"]}
    assert states["计划基地"] == ("filed", False)
    assert states[other.name] == ("not_started", False)
    assert states["逾期基地"] == ("submitted", True)
    assert data["late"] == 1 and data["total"] == 3
    assert dashboard(user=pw.my_reviewer, year=2027)["total"] == 0
    province = dashboard(user=pw.sc_reviewer, year=2027)
    assert province["total"] == 3 and province["by_authority"][0][0] == pw.chengdu


def test_dashboard_page_and_excel_export(client, pw):
    pw.to_state("filed")
    client.force_login(pw.cd_reviewer)
    response = client.get(reverse("plans:dashboard"), {"year": 2027})
    assert response.status_code == 200 and "计划基地" in response.content.decode()
    export = client.get(reverse("plans:dashboard"), {"year": 2027, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(pw.operator)
    assert client.get(reverse("plans:dashboard")).status_code == 404


def test_execution_summary_compares_planned_and_actual(pw):
    plan = pw.to_state("filed", year=2026, today=datetime.date(2026, 1, 5))
    item = plan.items.get()
    klass = services.class_create(actor=pw.operator, plan_item=item, data=class_data(2026))
    services.class_update_progress(
        actor=pw.operator, klass=klass, status="running", enrolled=100, completed=0
    )
    services.class_update_progress(
        actor=pw.operator, klass=klass, status="completed", enrolled=100, completed=95
    )
    summary = execution_summary(pw.b, 2026)
    assert summary["totals"] == {
        "planned_classes": 2,
        "actual_classes": 1,
        "planned_trainees": 300,
        "actual_trainees": 95,
    }


def class_data(year, **kw):
    data = {
        "title": "第一期",
        "starts_on": datetime.date(year, 5, 1),
        "ends_on": datetime.date(year, 5, 3),
        "place": "成都",
        "online_platform": "",
        "capacity": 120,
        "fee": "500",
        "hours_per_trainee": "24",
        "subject_kind": "professional",
        "teachers": "张三",
    }
    data.update(kw)
    return data


def test_plan_pages_render_for_every_role(client, pw):
    plan = pw.to_state("host_review")
    for user in [pw.operator, pw.host, pw.cd_reviewer, pw.sc_reviewer]:
        client.force_login(user)
        assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
        assert client.get(reverse("plans:list")).status_code == 200
    client.force_login(pw.other_operator)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert AnnualPlan.objects.count() == 1


def _toc(body):
    """Return the anchors the page's table of contents links to ([] when it has none)."""
    if 'class="page-toc' not in body:
        return []
    nav = body.split('class="page-toc', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="#([\w-]+)"', nav)


def test_long_plan_page_has_a_table_of_contents_r22(client, pw):
    """R-22, R-23: a filed plan's page holds its items, last year's execution, its classes and its history;
    a table of contents links to each, and each link has its section."""
    plan = pw.to_state("filed")
    services.class_create(actor=pw.operator, plan_item=plan.items.get(), data=class_data(2027))
    client.force_login(pw.operator)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    toc = _toc(body)
    assert toc == ["sec-items", "sec-summary", "sec-classes", "sec-hist"]
    for anchor in toc:
        assert f'id="{anchor}"' in body
    assert (
        body.index('data-testid="status-panel"')
        < body.index('class="page-toc')
        < body.index('id="sec-items"')
    )
    history = body.split('id="sec-hist"', 1)[1]
    for label in ("创建年度计划", "提交建设单位审核", "审核同意并报送备案", "予以备案"):
        assert label in history


def test_plan_history_shows_the_reason_a_plan_was_returned_r22(client, pw):
    """R-22: the history keeps each step of the host review, with the reason the plan was returned."""
    plan = pw.to_state("host_review")
    workflow.MACHINE.run(plan, "host_return", actor=pw.host, comment="请补充师资安排")
    client.force_login(pw.operator)
    body = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    history = body.split('id="sec-hist"', 1)[1]
    assert "退回修改" in history and "建设单位审核中 → 已退回" in history and "请补充师资安排" in history
    assert _toc(body)[-1] == "sec-hist"
