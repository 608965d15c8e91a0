"""The hours journey in a real browser (R-31, R-32, R-35; 《办法》第二十一条):

an operator uploads a workbook with good and bad rows, watches the progress, downloads the refused rows; an
authority looks the person up and sees the year's compliance; a certificate is verified.
"""

import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from hours.excel import COLUMNS
from hours.models import Certificate, IngestBatch, TrainingRecord
from tests.e2e.signin import sign_in
from tests.hours.conftest import HoursWorld, make_id

pytestmark = pytest.mark.django_db(transaction=True)

PERSON_NAME = "王学员"
ID_NUMBER = make_id(1)
MASKED_ID = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    # The same settings as tests/hours/conftest.py (its autouse fixture does not reach this folder), with small
    # chunks so that the six rows of the workbook are applied in three steps.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HOURS_CHUNK_SIZE = 2


# --- helpers ----------------------------------------------------------------------------------------------


def login(page, username):
    """Sign in through the login page as `username` (any previous session is dropped first)."""
    logout(page)
    sign_in(page, username)  # with the second step for staff


def logout(page):
    page.context.clear_cookies()


def press(page, action):
    page.locator(f'button[data-action="{action}"]').click()


def bad_check_digit(id_number):
    """The same number with a wrong check character."""
    wrong = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + wrong


def build_workbook(path, class_id):
    """Four good rows for one person (72 professional + 18 general = 90 hours: compliant), two bad rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["x1", ID_NUMBER, PERSON_NAME, class_id, "专业科目", 24, "2026-03-05"])
    ws.append(["x2", ID_NUMBER, PERSON_NAME, class_id, "专业科目", 24, "2026-03-12"])
    ws.append(["x3", ID_NUMBER, PERSON_NAME, class_id, "专业科目", 24, "2026-03-19"])
    ws.append(["x4", ID_NUMBER, PERSON_NAME, class_id, "公需科目", 18, "2026-03-26"])
    ws.append(["x5", bad_check_digit(make_id(2)), "李校验", class_id, "专业科目", 12, "2026-03-10"])  # row 6
    ws.append(
        ["x6", make_id(3), "赵超时", class_id, "专业科目", 120, "2026-03-10"]
    )  # row 7: more than the class gives
    wb.save(path)
    return path


def upload(page, base, workbook):
    """Upload the workbook from the base's hours page; land on the batch page and wait for the end."""
    page.goto(f"/hours/?base={base.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(base.name)
    page.get_by_label("学时工作簿（.xlsx）").set_input_files(workbook)
    press(page, "upload")
    page.wait_for_url(re.compile(r"/hours/batches/[0-9a-f-]+/$"))
    expect(page.get_by_test_id("batch-state")).to_have_text(
        "已完成", timeout=30_000
    )  # the worker may be slow
    expect(page.locator("#progress-bar")).to_have_text("100%")
    expect(page.locator("#progress")).to_have_attribute("aria-valuenow", "100")
    result = page.get_by_test_id("batch-result")
    expect(result).to_be_visible()
    expect(result).to_contain_text("4 条通过")
    expect(result).to_contain_text("2 条未通过")
    expect(page.locator("#counts")).to_contain_text("6 / 6")


# --- the journey ------------------------------------------------------------------------------------------


def test_operator_uploads_hours_authority_looks_up_and_certificate_is_verified(page, tmp_path):
    hw = HoursWorld()
    # A person is credited at most the class's hours in total: give the class room for the 90 hours below,
    # 20 of them general (R-35: a mixed class says how many of its hours are general).
    from plans.models import TrainingClass

    TrainingClass.objects.filter(pk=hw.klass.pk).update(hours_per_trainee=100, general_hours=20)
    workbook = build_workbook(tmp_path / "学时-2026-03.xlsx", hw.klass.pk)

    # 1. The operator opens the hours page and downloads the template.
    login(page, "op")
    page.goto("/hours/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(hw.b.name)
    with page.expect_download() as info:
        page.get_by_role("link", name="下载模板").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    template_path = tmp_path / info.value.suggested_filename
    info.value.save_as(template_path)
    template = load_workbook(template_path)
    assert [c.value for c in template.worksheets[0][1]] == COLUMNS

    # 2. The operator uploads the workbook, watches it to the end and downloads the refused rows.
    upload(page, hw.b, workbook)
    batch = IngestBatch.objects.get()
    assert batch.state == IngestBatch.State.DONE and batch.chunks.count() == 3
    refused_link = page.get_by_role("link", name="下载未通过的记录及原因（Excel）")
    expect(refused_link).to_be_visible()
    with page.expect_download() as info:
        refused_link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", *COLUMNS, "原因")
    assert [(r[0], r[1]) for r in rows[1:]] == [(6, "x5"), (7, "x6")]
    assert "身份证号码无效" in rows[1][-1]
    assert "超过该培训班专业科目学时 80" in rows[2][-1]  # the professional part of the mixed class
    assert rows[2][6] == 120

    # 3. Uploading the same workbook again registers nothing twice.
    upload(page, hw.b, workbook)
    assert IngestBatch.objects.count() == 2
    assert TrainingRecord.objects.count() == 4
    page.goto(f"/hours/?base={hw.b.pk}")
    # The base's statistics: one person, four records, 18 general and 72 professional hours.
    cells = page.get_by_test_id("stats").locator("tbody tr").first.locator("td")
    expect(cells).to_have_text(["1", "4", re.compile(r"^18(\.0)?$"), re.compile(r"^72(\.0)?$"), "0"])

    # 4. The Chengdu reviewer looks the person up: 90 hours, 72 professional → the year's requirement is met.
    login(page, "cd_reviewer")
    page.goto("/hours/lookup/")
    page.get_by_label("身份证号码").fill(ID_NUMBER)
    page.get_by_label("年度").fill("2026")
    press(page, "lookup")
    result = page.get_by_test_id("lookup-result")
    expect(result).to_contain_text(PERSON_NAME)
    expect(result).to_contain_text(MASKED_ID)
    expect(result).to_contain_text(
        re.compile(r"2026 年度：总学时 90(\.0)?，公需科目 18(\.0)?，专业科目 72(\.0)?。")
    )
    expect(page.get_by_test_id("compliance")).to_have_text("达到年度要求")
    expect(result.locator("tbody tr")).to_have_count(4)
    assert ID_NUMBER not in page.url
    expect(result).not_to_contain_text(ID_NUMBER)

    # 5. The reviewer issues a certificate: masked ID and a verification code.
    press(page, "certificate")
    page.wait_for_url(re.compile(r"/hours/certificates/[A-Z0-9]+/$"))
    assert ID_NUMBER not in page.url
    certificate = page.get_by_test_id("certificate")
    expect(certificate).to_contain_text(MASKED_ID)
    expect(certificate).to_contain_text(PERSON_NAME)
    expect(certificate).not_to_contain_text(ID_NUMBER)
    code = certificate.locator("strong.font-monospace").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{12}", code)
    cert = Certificate.objects.get(code=code)
    assert (cert.total, cert.general, cert.professional, cert.compliant) == (90, 18, 72, True)

    # 6. Anyone with the code verifies it: masked ID, name and total only.
    logout(page)
    page.goto("/hours/verify/")
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_test_id("verified")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(PERSON_NAME)
    expect(main).to_contain_text(MASKED_ID)
    expect(main).to_contain_text(re.compile(r"总学时\s*90(\.0)?（公需科目 18(\.0)?，专业科目 72(\.0)?）"))
    assert ID_NUMBER not in page.content()
