"""The annual plan journey in a real browser (R-22, R-23; 《办法》第二十条、第二十一条):

an operator drafts next year's plan with two items (one of them public-interest training favouring a minority
region), writes last year's summary and submits it; the host-unit reviewer approves and reports it; the
approving authority files it before the deadline; the operator then opens a training class under it. Before
filing no class can be opened, and a class dated outside the plan year is refused.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kit.errors import DomainError
from plans import services
from plans.models import AnnualPlan, PlanState, TrainingClass
from tests.e2e.signin import sign_in
from tests.plans.conftest import PlanWorld

pytestmark = pytest.mark.django_db(transaction=True)

BASE_NAME = "计划基地"
CLASS_TITLE = "数字经济高级研修班（第一期）"


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    # The same settings as tests/plans/conftest.py (its autouse fixture does not reach this folder).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- helpers ----------------------------------------------------------------------------------------------


def login(page, username):
    """Sign in through the login page as `username` (any previous session is dropped first)."""
    logout(page)
    sign_in(page, username)  # with the second step for staff


def logout(page):
    page.context.clear_cookies()


def messages(page):
    return page.locator(".messages")


def plan_state(page):
    return page.get_by_test_id("plan-state")


def press(page, action):
    """Press a workflow button (data-action=ACTION) on the plan page; data-confirm dialogs are accepted."""
    page.locator(f'button[data-action="{action}"]').click()


def open_details(page, summary_text):
    """Open the <details> disclosure whose summary reads `summary_text` (it may already be open)."""
    summary = page.locator("summary", has_text=summary_text)
    details = page.locator("details", has=summary)
    if details.get_attribute("open") is None:
        summary.click()
    expect(details).to_have_attribute("open", "")
    return details


def add_item(page, *, service_form, title, field, subject, mode, classes, trainees, hours, fee, regions=()):
    open_details(page, "添加培训项目")  # open by itself while the plan has no item
    page.get_by_label("服务形式").select_option(label=service_form)
    page.get_by_label("项目名称").fill(title)
    page.get_by_label("领域", exact=True).fill(field)
    page.get_by_label("科目类别").select_option(label=subject)
    page.get_by_label("培训方式").select_option(label=mode)
    page.get_by_label("计划班次").fill(classes)
    page.get_by_label("计划培训人数").fill(trainees)
    page.get_by_label("人均学时").fill(hours)
    page.get_by_label("人均收费（元）").fill(fee)
    if regions:
        page.get_by_label("公益性培训", exact=True).check()
        page.get_by_label("倾斜服务地区（公益性培训）").select_option(list(regions))
    page.get_by_role("button", name="保存项目").click()
    expect(messages(page)).to_contain_text("已保存计划项目")


def open_plan_from_list(page):
    page.goto("/plans/")
    page.get_by_test_id("plans").get_by_role("link", name=BASE_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BASE_NAME)


def fill_class(page, *, item, starts, ends):
    page.get_by_label("计划项目").select_option(label=item)
    page.get_by_label("培训班名称").fill(CLASS_TITLE)
    page.get_by_label("开班日期").fill(starts.isoformat())
    page.get_by_label("结业日期").fill(ends.isoformat())
    page.get_by_label("培训地点").fill("成都市武侯区测试路 1 号教学楼 301")
    page.get_by_label("计划人数").fill("60")
    page.get_by_label("人均收费（元）").fill("800")
    page.get_by_label("人均学时").fill("24")
    page.get_by_label("科目类别").select_option(label="专业科目")
    page.get_by_label("授课教师").fill("王教授、李研究员")
    page.get_by_role("button", name="创建培训班").click()


# --- the journey ------------------------------------------------------------------------------------------


def test_plan_drafted_approved_filed_and_class_opened(page):
    world = PlanWorld()
    next_year = timezone.localdate().year + 1
    page.on("dialog", lambda dialog: dialog.accept())  # every data-confirm form asks before it posts

    # 1. The operator starts next year's plan, adds two items, writes the summary and submits it to the host unit.
    login(page, "op")
    page.goto("/plans/")
    page.get_by_role("button", name=f"编制 {BASE_NAME} {next_year} 年度计划").click()
    plan = AnnualPlan.objects.get(base=world.b, year=next_year, kind=AnnualPlan.Kind.PLAN)
    expect(page).to_have_url(f"/plans/{plan.pk}/")
    expect(plan_state(page)).to_have_text("草稿")
    detail_url = f"/plans/{plan.pk}/"

    add_item(
        page,
        service_form="委托培训班、研修班、进修班",
        title="数字经济高级研修班",
        field="数字经济",
        subject="专业科目",
        mode="线下",
        classes="2",
        trainees="300",
        hours="24",
        fee="800",
    )
    add_item(
        page,
        service_form="专业科目培训与考核",
        title="民族地区基层专技人员公益培训",
        field="乡村振兴",
        subject="公需科目",
        mode="线上线下结合",
        classes="3",
        trainees="120",
        hours="16",
        fee="0",
        regions=["513400"],  # 凉山彝族自治州
    )
    items = page.get_by_test_id("plan-items").locator("tbody tr")
    expect(items).to_have_count(2)
    first = items.filter(has_text="数字经济高级研修班")
    expect(first).to_contain_text("委托培训班、研修班、进修班")
    expect(first).to_contain_text("专业科目")
    expect(first).to_contain_text("300")
    second = items.filter(has_text="民族地区基层专技人员公益培训")
    expect(second).to_contain_text("公需科目")
    expect(second).to_contain_text("✔")
    expect(second).to_contain_text("凉山彝族自治州")
    expect(page.get_by_test_id("total-trainees")).to_have_text("420")

    page.get_by_label("上年度计划执行情况总结").fill(
        "本基地 2026 年下半年获认定，当年开展培训 2 期，结业 180 人。"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("已保存")
    expect(page.get_by_label("上年度计划执行情况总结")).to_have_value(
        "本基地 2026 年下半年获认定，当年开展培训 2 期，结业 180 人。"
    )

    press(page, "submit_to_host")
    expect(messages(page)).to_contain_text("已完成：提交建设单位审核")
    expect(plan_state(page)).to_have_text("建设单位审核中")
    expect(page.locator("summary", has_text="添加培训项目")).to_have_count(0)

    # 2. The host-unit reviewer finds it among the to-dos and approves it: it is reported to the authority.
    login(page, "host")
    page.get_by_role("link", name=f"待审核：{BASE_NAME} {next_year} 年度计划").click()
    expect(plan_state(page)).to_have_text("建设单位审核中")
    press(page, "host_approve")
    expect(messages(page)).to_contain_text("已完成：审核同意并报送备案")
    expect(plan_state(page)).to_have_text("已报送")

    # While the plan is only reported, the operator is not offered the class form, and the service refuses too.
    login(page, "op")
    open_plan_from_list(page)
    expect(plan_state(page)).to_have_text("已报送")
    expect(page.locator("summary", has_text="按本计划开办培训班")).to_have_count(0)
    expect(page.locator("#plan_item")).to_have_count(0)
    item = plan.items.get(title="数字经济高级研修班")
    with pytest.raises(DomainError, match="尚未备案"):
        services.class_create(
            actor=world.operator,
            plan_item=item,
            data={
                "title": CLASS_TITLE,
                "starts_on": datetime.date(next_year, 3, 10),
                "ends_on": datetime.date(next_year, 3, 12),
                "place": "成都",
                "capacity": 60,
                "hours_per_trainee": "24",
                "subject_kind": "professional",
                "teachers": "王教授",
            },
        )
    assert not TrainingClass.objects.exists()

    # 3. The Chengdu reviewer sees it on the filing dashboard and files it; it was reported in time.
    login(page, "cd_reviewer")
    page.goto("/plans/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{next_year} 年度计划备案情况")
    row = page.get_by_test_id("plan-dashboard").get_by_role("row").filter(has_text=BASE_NAME)
    expect(row.get_by_test_id("plan-state")).to_have_text("已报送")
    expect(row.get_by_test_id("late")).to_have_count(0)
    row.get_by_role("link").click()
    expect(page).to_have_url(detail_url)
    press(page, "file")
    expect(messages(page)).to_contain_text("已完成：予以备案")
    expect(plan_state(page)).to_have_text("已备案")
    expect(page.get_by_test_id("late")).to_have_count(0)

    # 4. The operator opens a class under the filed plan. A class dated in the current year is refused first.
    login(page, "op")
    open_plan_from_list(page)
    expect(plan_state(page)).to_have_text("已备案")
    this_year = next_year - 1
    open_details(page, "按本计划开办培训班")
    fill_class(
        page,
        item="数字经济高级研修班",
        starts=datetime.date(this_year, 12, 28),
        ends=datetime.date(this_year, 12, 30),
    )
    # Refused: the form stays open with what was typed, and the reason sits next to the date field.
    expect(page.locator("#id_starts_on_error")).to_contain_text("计划年度")
    expect(page.locator("#id_starts_on_error")).to_contain_text(f"{next_year} 年")
    expect(page.get_by_label("培训班名称")).to_have_value(CLASS_TITLE)
    assert not TrainingClass.objects.exists()

    open_details(page, "按本计划开办培训班")
    fill_class(
        page,
        item="数字经济高级研修班",
        starts=datetime.date(next_year, 3, 10),
        ends=datetime.date(next_year, 3, 12),
    )
    expect(messages(page)).to_contain_text(f"已创建培训班“{CLASS_TITLE}”")
    expect(page.get_by_role("heading", level=1)).to_contain_text(CLASS_TITLE)
    expect(page.get_by_test_id("class-status")).to_have_text("报名中")
    expect(page.locator("main")).to_contain_text("王教授、李研究员")
    page.get_by_role("link", name=f"{BASE_NAME} {next_year} 年度计划").click()
    expect(page).to_have_url(detail_url)
    expect(page.get_by_role("link", name=CLASS_TITLE)).to_be_visible()

    # The database agrees: filed in time by the Chengdu reviewer, with one class under it in the plan year.
    plan.refresh_from_db()
    assert plan.state == PlanState.FILED
    assert plan.is_late is False
    assert plan.host_reviewed_by == world.host
    assert plan.filed_by == world.cd_reviewer
    assert plan.items.count() == 2
    public = plan.items.get(public_interest=True)
    assert list(public.preference_regions.values_list("code", flat=True)) == ["513400"]
    klass = TrainingClass.objects.get(plan_item__plan=plan)
    assert klass.title == CLASS_TITLE
    assert klass.plan_item == item
    assert klass.year == next_year
    assert klass.status == TrainingClass.Status.OPEN
    assert (klass.starts_on, klass.ends_on) == (
        datetime.date(next_year, 3, 10),
        datetime.date(next_year, 3, 12),
    )
