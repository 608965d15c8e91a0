"""The application form as an Excel workbook laid out like the paper form (R-14)."""

import pytest

from applications.excel import build_workbook
from applications.models import AttachmentKind
from applications.rules import article8_checklist

pytestmark = pytest.mark.django_db


def labelled(ws):
    """Map each label in column A to the value beside it in column B."""
    return {row[0]: row[1] for row in ws.iter_rows(min_col=1, max_col=2, values_only=True) if row[0]}


def row_of(ws, text):
    return next(c.row for c in ws["A"] if c.value == text)


def test_r14_sections_follow_the_paper_form_and_end_with_the_signatures(world):
    """R-14: the seven sections in order, the Article 8 check last, then stamp, signature and date."""
    app = world.complete()
    ws = build_workbook(app).active
    headings = [
        "一、申报单位基本情况",
        "二、师资队伍",
        "三、管理机构与管理制度",
        "四、设施条件与远程教育",
        "五、培训规模",
        "六、社会信用",
        "七、基本条件核对（《办法》第八条）",
    ]
    rows = [row_of(ws, h) for h in headings]
    assert rows == sorted(rows)
    checks = article8_checklist(app)
    last_check = rows[-1] + len(checks)
    signature = row_of(ws, "申报单位（盖章）：")
    assert signature == last_check + 3  # two blank rows before the stamp
    assert ws.cell(row=signature, column=4).value == "法定代表人（签字）："
    assert ws.cell(row=signature + 2, column=4).value == "年    月    日"
    first = checks[0]
    assert ws.cell(row=rows[-1] + 1, column=1).value == f"{first.article} {first.label}"
    assert ws.cell(row=rows[-1] + 1, column=2).value == f"符合：{first.detail}"


def test_r14_institution_facts_region_and_missing_documents(world):
    app = world.complete()
    app.recommending_authority = world.chengdu
    app.base_name = "=HYPERLINK(1)"  # a formula typed into the form stays text
    app.attachments.filter(kind=AttachmentKind.CREDIT_EVIDENCE).update(is_current=False)
    values = labelled(build_workbook(app).active)
    region = app.region
    assert values["所在地区"] == (
        f"{region.parent.name}{region.name}" if region.parent_id and region.level == "county" else region.name
    )
    assert values["推荐部门"] == world.chengdu.name
    assert values["拟建基地名称"] == "'=HYPERLINK(1)"
    assert values["信用证明材料"] == "（未上传）"
    assert values["信用承诺"] == "已承诺"
    assert values["人数统计"].startswith("专职教师 9 人；兼职教师 16 人")
