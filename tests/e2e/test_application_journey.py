"""The recognition journey in a real browser, end to end (Article 10):

an institution fills and submits the 申报表; the reviewer returns it for correction; it is corrected and
resubmitted; three experts score it; the site visit passes; the approver decides; the 公示 runs with one
objection lodged by the public and resolved; the base is published on the public notices page.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.demo import tiny_pdf
from applications.models import (
    RULE_KINDS,
    Application,
    AttachmentKind,
    ExpertAssignment,
    ExpertProfile,
    Objection,
)
from bases.models import Base, Filing, Notice
from tests.applications.conftest import World
from tests.e2e.signin import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

BASE_NAME = "浏览器测试继续教育基地"
FIRST_URL = "https://learn.browser-test.example/"
CORRECTED_URL = "https://platform.browser-test.example/v2/"


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    # The same settings as tests/applications/conftest.py (its autouse fixture does not reach this folder).
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


def state_badge(page):
    return page.get_by_test_id("state")


def upload(page, tmp_path, kind):
    """Upload a small PDF in the document table row of `kind` on the current step."""
    path = tmp_path / f"{kind.value}.pdf"
    path.write_bytes(tiny_pdf(kind.value))
    page.get_by_label(f"上传{kind.label}", exact=True).set_input_files(path)
    page.locator(f'button[data-upload="{kind.value}"]').click()
    expect(messages(page)).to_contain_text(f"已上传“{kind.value}.pdf”")
    row = page.get_by_test_id("documents").get_by_role("row").filter(has_text=str(kind.label))
    expect(row).to_contain_text("已上传")


def save_and_next(page):
    page.get_by_role("button", name="保存并下一步").click()
    expect(messages(page)).to_contain_text("已保存")


def press(page, action):
    """Press a workflow button (data-action=ACTION) on the detail page; data-confirm dialogs are accepted."""
    page.locator(f'button[data-action="{action}"]').click()


def staff_lines():
    lines = [f"专职教师{i}, {'教授' if i <= 3 else '副教授'}, 数字经济, 教师, 专职" for i in range(1, 10)]
    lines += [f"兼职教师{i}, 高级工程师, 智能制造, 教师, 兼职" for i in range(1, 17)]
    lines += [f"政策研究员{i}, 研究员, 人才政策, 政策研究, 专职" for i in range(1, 3)]
    lines += [f"平台工程师{i}, 工程师, 在线教育平台, 技术人员, 专职" for i in range(1, 3)]
    return "\n".join(lines)


def fill_application(page, tmp_path):
    """Steps 1 to 6 of the 申报表, every field and every document through the pages."""
    # Step 1: the institution.
    expect(page.get_by_role("link", name="1. 机构基本情况")).to_have_attribute("aria-current", "step")
    page.get_by_label("机构类型").select_option("university")
    page.get_by_label("在省内依法登记的独立法人").check()
    page.get_by_label("培训或继续教育相关资质").fill("经主管部门批准开展专业技术人员继续教育培训")
    page.get_by_label("法定代表人").fill("王法人")
    page.get_by_label("地址", exact=True).fill("成都市武侯区测试路 1 号")
    page.get_by_label("所在区县").select_option("510107")
    page.get_by_label("拟建基地名称").fill(BASE_NAME)
    page.get_by_label("培训领域").fill("数字经济、智能制造")
    page.get_by_label("联系人", exact=True).fill("赵联系")
    page.get_by_label("联系电话").fill("028-80000001")
    page.get_by_label("联系邮箱").fill("contact@browser-test.example")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("已保存")
    upload(page, tmp_path, AttachmentKind.QUALIFICATION)
    save_and_next(page)

    # Step 2: the staff, pasted as from Excel (the counts are derived from the list).
    expect(page.get_by_role("link", name="2. 师资队伍")).to_have_attribute("aria-current", "step")
    page.get_by_label("批量添加（可从 Excel 复制粘贴）").fill(staff_lines())
    page.get_by_role("button", name="添加名单").click()
    expect(messages(page)).to_contain_text("已添加 29 人")
    expect(page.get_by_test_id("staff").locator("tbody tr")).to_have_count(29)
    expect(page.locator("main")).to_contain_text("专职教师 9 人")
    page.get_by_role("link", name="下一步", exact=True).click()

    # Step 3: management and the eight rule documents.
    expect(page.get_by_role("link", name="3. 管理机构与制度")).to_have_attribute("aria-current", "step")
    page.get_by_label("基地管理机构").fill("继续教育学院")
    page.get_by_label("专职管理人员数").fill("6")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("已保存")
    for kind in RULE_KINDS:
        upload(page, tmp_path, kind)
    save_and_next(page)

    # Step 4: facilities and remote education.
    expect(page.get_by_role("link", name="4. 设施与远程教育")).to_have_attribute("aria-current", "step")
    page.get_by_label("经费保障").fill("每年安排专项经费 300 万元")
    page.get_by_label("固定教室").fill("固定教室 12 间，可容纳 800 人")
    page.get_by_label("教学设备", exact=True).fill("多媒体教学设备齐全")
    page.get_by_label("专业图书资料").fill("专业图书 5 万册")
    page.get_by_label("实训场所或实训合作单位").fill("与 3 家企业共建实训基地")
    page.get_by_label("网络基础设施与教学设备").fill("千兆校园网，录播教室 4 间")
    page.get_by_label("网络培训平台名称").fill("浏览器测试网络学院")
    page.get_by_label("网络培训平台网址").fill(FIRST_URL)
    page.get_by_label("平台功能（在线培训、网络互动等）").fill("在线课程、直播互动、学时记录")
    save_and_next(page)

    # Step 5: training scale of the last three years.
    expect(page.get_by_role("link", name="5. 培训规模")).to_have_attribute("aria-current", "step")
    years = page.get_by_label(re.compile(r"\d{4} 年培训人数"))
    expect(years).to_have_count(3)
    for i, n in enumerate(["1200", "1400", "1600"]):
        years.nth(i).fill(n)
    page.get_by_label("服务的重点领域").fill("数字经济、先进制造业")
    save_and_next(page)

    # Step 6: credit.
    expect(page.get_by_role("link", name="6. 社会信用")).to_have_attribute("aria-current", "step")
    page.get_by_label(re.compile("^本机构承诺")).check()
    page.get_by_label("信用情况说明").fill("经“信用中国”查询，无不良记录。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("已保存")
    upload(page, tmp_path, AttachmentKind.CREDIT_EVIDENCE)
    save_and_next(page)


def submit_from_review_step(page):
    expect(page.get_by_role("link", name="7. 核对与提交")).to_have_attribute("aria-current", "step")
    checklist = page.get_by_test_id("checklist")
    expect(checklist).not_to_contain_text("✘")
    rows = checklist.locator("tbody tr")
    assert rows.count() >= 8
    expect(rows.filter(has_text="✔ 符合")).to_have_count(rows.count())
    press(page, "submit")
    expect(messages(page)).to_contain_text("已完成：提交申报")
    expect(state_badge(page)).to_have_text("已提交")


def score(page, values, comment):
    for label, value in values.items():
        page.get_by_role("spinbutton", name=re.compile(f"^{label}（")).fill(value)
    page.get_by_label("评审意见").fill(comment)
    page.get_by_role("button", name="提交评分").click()
    expect(messages(page)).to_contain_text("评分已提交")
    expect(page.get_by_test_id("assignment-status")).to_have_text("已提交评分")


# --- the journey ------------------------------------------------------------------------------------------


def test_application_from_draft_to_published_base(page, tmp_path):
    world = World()
    experts = world.experts[:3]
    for i, expert in enumerate(experts):
        ExpertProfile.objects.create(user=expert, fields=["数字经济"], title="教授", employer_name=f"单位{i}")
    page.on("dialog", lambda dialog: dialog.accept())  # every data-confirm form asks before it posts

    # 1. The institution's operator starts an application in the Chengdu batch, fills every step and submits.
    login(page, "op")
    page.goto("/applications/batches/")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="成都批次"))
    card.get_by_role("button", name="以“测试学院”名义申报").click()
    expect(messages(page)).to_contain_text("已创建申报草稿")
    app = Application.objects.get(institution=world.inst, batch=world.cd_batch)
    detail_url = f"/applications/{app.pk}/"
    assert page.url.endswith(f"{detail_url}edit/institution/")
    fill_application(page, tmp_path)
    submit_from_review_step(page)
    app.refresh_from_db()
    assert (app.state, app.version) == ("submitted", 1)
    assert app.staff.count() == 29

    # 2. The Chengdu reviewer accepts it, then returns it with a comment on section four.
    login(page, "cd_reviewer")
    page.goto(detail_url)
    expect(state_badge(page)).to_have_text("已提交")
    press(page, "start_review")
    expect(state_badge(page)).to_have_text("形式审核")
    page.locator("summary", has_text="退回补正").click()
    page.get_by_role("textbox", name="四、设施与远程教育").fill("网络培训平台网址无法访问，请核实后更正。")
    press(page, "return")
    expect(messages(page)).to_contain_text("已完成：退回补正")
    expect(state_badge(page)).to_have_text("退回补正")

    # 3. The operator reads the comment, corrects step 4 and resubmits.
    login(page, "op")
    page.goto(detail_url)
    expect(state_badge(page)).to_have_text("退回补正")
    returned = page.get_by_role("alert").filter(has_text="退回补正意见")
    expect(returned).to_contain_text("四、设施与远程教育")
    expect(returned).to_contain_text("网络培训平台网址无法访问")
    page.get_by_role("link", name="填写/修改申报表").click()
    page.get_by_role("link", name="4. 设施与远程教育").click()
    expect(page.get_by_role("alert").filter(has_text="审核意见")).to_contain_text("网络培训平台网址无法访问")
    expect(page.get_by_label("网络培训平台网址")).to_have_value(FIRST_URL)
    page.get_by_label("网络培训平台网址").fill(CORRECTED_URL)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(messages(page)).to_contain_text("已保存")
    page.get_by_role("link", name="7. 核对与提交").click()
    submit_from_review_step(page)
    page.get_by_role("link", name="第 2 版").click()
    changes = page.get_by_test_id("changes")
    changed = changes.get_by_role("row").filter(has_text="网络培训平台网址")
    expect(changed).to_contain_text(FIRST_URL)
    expect(changed).to_contain_text(CORRECTED_URL)

    # 4. The reviewer accepts the corrected application, passes the formal review and assigns three experts.
    login(page, "cd_reviewer")
    page.goto(detail_url)
    expect(state_badge(page)).to_have_text("已提交")
    press(page, "start_review")
    expect(state_badge(page)).to_have_text("形式审核")
    page.get_by_label("意见（可选）").fill("材料齐全，符合要求。")
    press(page, "pass_formal_review")
    expect(state_badge(page)).to_have_text("专家论证")
    # The three experts of the pool in the application's field are drawn at random, with a recorded seed.
    page.get_by_label("随机种子（可选）").fill("20261206")
    page.get_by_role("button", name="随机抽取专家").click()
    expect(messages(page)).to_contain_text("已随机抽取 3 位专家（随机种子 20261206）")
    expect(page.get_by_test_id("draws")).to_contain_text("随机种子 20261206")
    expect(page.get_by_test_id("assignments").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("average")).to_have_text("—")

    # 5. Each expert declares no conflict of interest and scores; the scores stay blind until all have scored.
    rubric = ["师资队伍", "管理机构与制度", "设施与经费保障", "远程教育条件", "培训规模与成效", "社会信用"]
    marks = [
        dict(zip(rubric, ["22", "17", "13", "12", "13", "9"], strict=True)),
        dict(zip(rubric, ["20", "16", "12", "13", "12", "8"], strict=True)),
        dict(zip(rubric, ["24", "18", "14", "14", "14", "10"], strict=True)),
    ]
    totals = ["86", "81", "94"]  # average 87.0
    for i, (expert, values) in enumerate(zip(experts, marks, strict=True)):
        login(page, expert.username)
        page.goto("/applications/expert/")
        page.get_by_role("link", name=BASE_NAME).click()
        expect(page.get_by_test_id("assignment-status")).to_have_text("待声明")
        page.get_by_label("本人与申报单位无利益冲突").check()
        page.get_by_role("button", name="提交声明").click()
        expect(messages(page)).to_contain_text("已提交声明")
        expect(page.get_by_test_id("assignment-status")).to_have_text("评分中")
        # Before scoring, the peers' scores are hidden, however many have already scored.
        expect(page.get_by_role("heading", name="其他专家的评分")).to_have_count(0)
        expect(page.get_by_test_id("peers")).to_have_count(0)
        score(page, values, f"专家{i + 1}：师资结构合理，平台功能完整，建议认定。")
        expect(page.get_by_role("heading", name=re.compile("^我的评分"))).to_contain_text(totals[i])
        if i < len(experts) - 1:
            expect(page.get_by_test_id("peers-blind")).to_be_visible()
            expect(page.get_by_test_id("peers")).to_have_count(0)
    assert ExpertAssignment.objects.filter(application=app, status="submitted").count() == 3
    # Now that all have scored, the first expert sees the others' scores.
    login(page, experts[0].username)
    page.goto("/applications/expert/")
    page.get_by_role("link", name=BASE_NAME).click()
    peers = page.get_by_test_id("peers").get_by_role("listitem")
    expect(peers).to_have_count(2)
    for later in (1, 2):
        expect(peers.filter(has_text=experts[later].display_name)).to_contain_text(totals[later])

    # 6. The reviewer sees the average and the spread, closes the evaluation (论证), records the passed site visit
    # (考察) and takes the application before the panel (评审).
    login(page, "cd_reviewer")
    page.goto(detail_url)
    expect(page.get_by_test_id("average")).to_have_text(re.compile(r"^\d+(\.\d)?$"))
    expect(page.get_by_test_id("average")).to_have_text("87.0")
    expect(page.get_by_test_id("spread")).to_have_text("81.0–94.0")
    press(page, "complete_expert_review")
    expect(state_badge(page)).to_have_text("实地考察")
    page.get_by_label("考察日期").fill(timezone.localdate().isoformat())
    page.get_by_label("考察组成员").fill("审核员、专家甲、专家乙")
    page.get_by_label("考察意见").fill("场地、设备、管理制度与申报一致。")
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="录入考察结果").click()
    expect(messages(page)).to_contain_text("已录入实地考察结果")
    expect(page.locator("section").filter(has=page.get_by_role("heading", name="实地考察"))).to_contain_text(
        "审核员、专家甲、专家乙"
    )
    press(page, "complete_site_visit")
    expect(state_badge(page)).to_have_text("集体评审")

    # 7. The panel meets: the reviewer opens the batch's ranked sheet from the application, records the
    # panel's resolution with its votes, and the application waits for the decision.
    page.get_by_test_id("panel-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("评审汇总表")
    row = page.get_by_test_id("panel-row").filter(has_text=BASE_NAME)
    expect(row.get_by_test_id("panel-mean")).to_contain_text("87.0")
    row.get_by_label("评审结论").select_option("passed")
    row.get_by_label("赞成票").fill("7")
    row.get_by_label("反对票").fill("0")
    row.get_by_label("弃权票").fill("0")
    row.get_by_label("评审意见").fill("同意认定。")
    page.get_by_label("评审会日期").fill(timezone.localdate().isoformat())
    page.get_by_label("评审组成员").fill("评审组七人")
    page.get_by_role("button", name="录入评审会结论").click()
    expect(messages(page)).to_contain_text("已录入 1 项申报的评审会结论")
    expect(page.get_by_test_id("panel-row").filter(has_text=BASE_NAME)).to_contain_text(
        "赞成 7，反对 0，弃权 0"
    )

    # 8. The approver decides from the panel's resolution: recognised, and the publicity starts.
    login(page, "cd_approver")
    page.goto(detail_url)
    expect(state_badge(page)).to_have_text("待认定")
    expect(page.get_by_test_id("panel-resolution")).to_contain_text("赞成 7，反对 0，弃权 0")
    approve_form = page.locator("form").filter(has=page.locator('button[data-action="approve"]'))
    approve_form.get_by_label("意见或理由（必填）").fill("经审核、论证、考察和评审，符合认定条件。")
    press(page, "approve")
    expect(messages(page)).to_contain_text("已完成：予以认定并公示")
    expect(state_badge(page)).to_have_text("公示中")
    expect(page.locator("main")).to_contain_text("公示期")

    # 9. A member of the public lodges an objection on the publicity notice.
    logout(page)
    page.goto("/notices/")
    page.get_by_role("link", name=re.compile(f"关于{BASE_NAME}拟认定为.*的公示")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(BASE_NAME)
    page.get_by_label("姓名").fill("王五")
    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_label("异议内容").fill("该机构部分兼职教师为临时聘请，请核实师资稳定性。")
    page.get_by_role("button", name="提交异议").click()
    expect(messages(page)).to_contain_text("您的异议已提交")
    assert Objection.objects.filter(application=app, status="open").count() == 1

    # 10. The reviewer resolves the objection.
    login(page, "cd_reviewer")
    page.goto(detail_url)
    objection = page.get_by_test_id("objection")
    expect(objection).to_contain_text("王五")
    expect(objection).to_contain_text("待处理")
    objection.get_by_label("异议不成立").check()
    objection.get_by_label("处理结果").fill("经核实，兼职教师均签订三年聘用协议，异议不成立。")
    objection.get_by_role("button", name="提交处理结果").click()
    expect(messages(page)).to_contain_text("已处理该异议")
    expect(page.get_by_test_id("objection")).to_contain_text("异议不成立")
    expect(page.get_by_test_id("objection")).to_contain_text("兼职教师均签订三年聘用协议")

    # Publication is refused while the publicity period runs (the button is disabled with the reason, or,
    # where the page does not pre-check the guard, pressing it reports the reason).
    publish = page.locator('button[data-action="publish"]')
    if publish.is_disabled():
        expect(page.get_by_test_id("blocked-publish")).to_contain_text("期满后方可公布")
    else:
        press(page, "publish")
        expect(messages(page)).to_contain_text("期满后方可公布")
    expect(state_badge(page)).to_have_text("公示中")

    # 11. The publicity period runs out. Moving its dates into the past stands in for the clock: the period is
    # counted in working days from today, and the test cannot wait for them.
    today = timezone.localdate()
    Application.objects.filter(pk=app.pk).update(
        publicity_starts_on=today - timedelta(days=10), publicity_ends_on=today - timedelta(days=1)
    )
    page.reload()
    press(page, "publish")
    expect(messages(page)).to_contain_text("已完成：公示期满，认定公布")
    expect(state_badge(page)).to_have_text("已认定")

    # 12. The public sees the recognition notice with its certificate number.
    logout(page)
    page.goto("/notices/")
    notices = page.get_by_test_id("notices")
    announcement = notices.get_by_role("link", name=re.compile(f"认定{BASE_NAME}"))
    expect(announcement).to_have_count(1)
    announcement.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("认定")
    expect(page.get_by_role("heading", level=1)).to_contain_text(BASE_NAME)
    expect(page.locator("main")).to_contain_text("川继基市〔")

    # The database agrees: a municipal base with its number, filed with the provincial HR department.
    app.refresh_from_db()
    assert app.state == "recognised"
    assert app.version == 2
    base = Base.objects.get(application=app)
    assert base.level == "municipal"
    assert base.name == BASE_NAME
    assert base.certificate_no.startswith("川继基市〔")
    assert base.platform_url == CORRECTED_URL
    filing = Filing.objects.get(base=base)
    assert filing.filed_with == world.province
    assert filing.filed_by == world.chengdu
    assert Notice.objects.filter(application=app, kind="recognition", base=base).count() == 1

    # The public finds the new base at once by name, city and level, on the page and through the API.
    for query in [f"q={BASE_NAME[:4]}", "q=成都", "level=municipal&prefecture=510100"]:
        page.goto(f"/bases/?{query}")
        expect(page.get_by_test_id("registry").get_by_role("link", name=BASE_NAME)).to_be_visible()
        api = page.request.get(f"/api/v1/bases/?{query}").json()
        assert [row["name"] for row in api["results"]] == [BASE_NAME], query
