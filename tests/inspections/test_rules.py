"""What the portal already knows about a base for its inspector, item by item (R-26)."""

import pytest
from django.utils import timezone

from bases.models import FeeStandard, MisconductReport
from inspections.rules import known_facts
from plans.models import AnnualPlan
from tests.plans.conftest import PlanWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return PlanWorld()


def texts(facts, item):
    return [f["text"] for f in facts if f["item"] == item]


def report(base, n, status):
    return MisconductReport.objects.create(
        base=base,
        category=MisconductReport.Category.OTHER,
        description="举报内容",
        reporter_name="举报人",
        reporter_phone="13800000000",
        receipt_code=f"R{n:05d}",
        status=status,
    )


def test_r26_a_base_with_nothing_on_the_portal(pw):
    """R-26: without a plan, fees, platform or reports each item says what is missing, in a fixed order."""
    assert known_facts(pw.b, 2027) == [
        {"item": "annual_plan", "text": "本平台无该年度计划"},
        {"item": "annual_plan", "text": "2027 年度计划未报送"},
        {"item": "fees", "text": "未公布收费标准"},
        {"item": "platform", "text": "未登记网络培训平台"},
        {"item": "credit", "text": "未办结或已转抽查的违规举报 0 件"},
    ]


def test_r26_plan_execution_and_filing(pw):
    """R-26: the annual plan's planned against actual figures, its state and whether it came in on time."""
    plan = pw.plan(year=2027, items=2)
    facts = known_facts(pw.b, 2027)
    assert texts(facts, "annual_plan") == [
        "计划班次 4，实际 0；计划人数 600，实际结业 0",
        "2027 年度计划：草稿",
    ]
    assert texts(facts, "tasks") == ["本年度结业 0 人"]
    AnnualPlan.objects.filter(pk=plan.pk).update(first_submitted_at=timezone.now())
    assert texts(known_facts(pw.b, 2027), "annual_plan")[1] == "2027 年度计划：草稿（按时报送）"
    AnnualPlan.objects.filter(pk=plan.pk).update(is_late=True)
    assert texts(known_facts(pw.b, 2027), "annual_plan")[1] == "2027 年度计划：草稿（逾期报送）"


def test_r26_fees_platform_and_open_reports(pw):
    """R-26: published fees, the registered platform (its name, else its address), and unsettled reports."""
    FeeStandard.objects.create(base=pw.b, item="培训费", amount=800)
    FeeStandard.objects.create(base=pw.b, item="资料费", amount=50)
    pw.b.platform_url = "https://learn.example.cn"
    for n, status in enumerate(["open", "spot_check", "dismissed"]):
        report(pw.b, n, status)
    facts = known_facts(pw.b, 2027)
    assert texts(facts, "fees") == ["已公布收费标准 2 项"]
    assert texts(facts, "platform") == ["平台：https://learn.example.cn"]
    assert texts(facts, "credit") == ["未办结或已转抽查的违规举报 2 件"]
    pw.b.platform_name = "蜀学在线"
    assert texts(known_facts(pw.b, 2027), "platform") == ["平台：蜀学在线"]
