"""A plan's history (办理记录) says what happened in words: the texts an edit changed by their names, a removed item
by its title, a late submission as such (R-22), never the service's codes (issue "A portal people can find their
way in", "Words, not codes")."""

import datetime

import pytest
from django.urls import reverse

from audit.labels import describe_comment
from audit.models import AuditEvent
from plans import services, workflow
from plans.deadlines import SHANGHAI

pytestmark = pytest.mark.django_db


def history(client, user, plan) -> str:
    client.force_login(user)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    start = page.index('data-testid="history"')
    return page[start : page.index("</ol>", start)]


def test_an_edit_is_told_by_the_name_of_the_text_it_changed(client, pw):
    plan = pw.plan()
    assert AuditEvent.objects.get(action="plan.edited").comment == "summary_narrative"
    # Saving the same text again changes nothing, and is no event.
    services.plan_update(actor=pw.operator, plan=plan, summary_narrative="上年度总结")
    assert AuditEvent.objects.filter(action="plan.edited").count() == 1
    page = history(client, pw.operator, plan)
    assert "修改了 上年度计划执行情况总结" in page and "summary_narrative" not in page
    assert "保存培训项目" in page and "研修班" in page


def test_a_removed_item_is_told_by_its_title(client, pw):
    plan = pw.plan()
    item = plan.items.get()
    services.plan_item_remove(actor=pw.operator, plan=plan, item_id=item.pk)
    assert AuditEvent.objects.get(action="plan.item_removed").comment == "研修班"
    removal = history(client, pw.operator, plan).split("删除培训项目", 1)[1]
    assert removal.split("</li>", 1)[0].endswith("<div>研修班</div>")
    assert describe_comment(AuditEvent(action="plan.item_removed", comment=str(item.pk))) == ""


def test_a_late_submission_is_said_so_not_coded(client, pw):
    plan = pw.to_state("host_review")
    workflow.MACHINE.run(
        plan,
        "host_approve",
        actor=pw.host,
        comment="同意",
        now=datetime.datetime(2027, 1, 2, 9, 0, tzinfo=SHANGHAI),
    )
    assert AuditEvent.objects.get(action="plan.host_approve").comment == "同意 [late]"
    page = history(client, pw.cd_reviewer, plan)
    assert "同意（逾期报送）" in page and "[late]" not in page


def test_class_progress_and_evaluation_are_told_in_words():
    progress = AuditEvent(action="class.progress", comment="enrolled=30 completed=28")
    assert describe_comment(progress) == "报名人数：30；结业人数：28"
    assert describe_comment(AuditEvent(action="class.evaluated", comment="92.5")) == "学员满意度（%）：92.5"
    assert describe_comment(AuditEvent(action="plan.yearly_evaluation", comment="2026")) == "2026 年度"
