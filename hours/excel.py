"""Excel exchange of the hours registry: the upload template, reading an upload (read-only mode, streamed), and
the refused rows with their reasons."""

import contextlib
import datetime
import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from kit.excel import safe_cell

REQUIRED_COLUMNS = ["记录编号", "身份证号码", "姓名", "培训班编号", "科目类别", "学时", "完成日期"]
# Optional, and last: workbooks filled in from the template before it had this column are still read.
WORK_REGION_COLUMN = "工作地区代码"
COLUMNS = [*REQUIRED_COLUMNS, WORK_REGION_COLUMN]
SUBJECTS = {
    "公需科目": "general",
    "公需": "general",
    "general": "general",
    "专业科目": "professional",
    "专业": "professional",
    "professional": "professional",
}


def template_bytes(example_class_id=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "学时"
    ws.append(COLUMNS)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append(
        [
            "2026-0001",
            "51010419850615001X（示例，请替换）",
            "张三",
            example_class_id or "培训班编号",
            "专业科目",
            12,
            "2026-03-15",
            "510104",
        ]
    )
    for col, width in zip("ABCDEFGH", [16, 22, 10, 12, 10, 8, 12, 14], strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("填写说明")
    for line in [
        "记录编号：本基地内唯一；再次上传同一编号、内容相同的记录不会重复登记，内容不同视为更正。",
        "培训班编号：见“培训班”页面；培训班须属于已备案的年度计划（《办法》第二十一条）。",
        "科目类别：公需科目或专业科目。学时：大于 0，以 0.5 为单位，不超过培训班人均学时。完成日期：YYYY-MM-DD，在培训班起止日期内。",
        "工作地区代码：选填，学员工作单位所在县（市、区）的 6 位行政区划代码（GB/T 2260），如 510104（成都市锦江区）；用于统计公益性培训服务倾斜地区的情况（《办法》第十五条）。",
    ]:
        notes.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _cell_date(value):
    """Return a completion date cell as YYYY-MM-DD where it is a date: an Excel date cell, or text such as
    2026/11/12, 2026.11.12 or 2026年11月12日 (what people type); anything else as it is, for parsing to judge."""
    if hasattr(value, "date"):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and (match := DATE_TEXT.match(value)):
        year, month, day = (int(g) for g in match.groups())
        with contextlib.suppress(ValueError):
            return datetime.date(year, month, day).isoformat()
    return value


def read_rows(path) -> list[dict]:
    """Read an uploaded workbook into record dicts (with their row numbers). Raises ValueError on a bad header
    or on more rows than HOURS_MAX_BATCH."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, [])][: len(COLUMNS)]
    if header[: len(REQUIRED_COLUMNS)] != REQUIRED_COLUMNS:
        wb.close()
        raise ValueError(_("表头应为：") + "、".join(COLUMNS))
    # Any other heading in the last place is a column of the base's own, not a work region.
    width = len(COLUMNS) if header[len(REQUIRED_COLUMNS) :] == [WORK_REGION_COLUMN] else len(REQUIRED_COLUMNS)
    records = []
    for number, row in enumerate(rows, start=2):
        values = list(row[:width]) + [None] * (len(COLUMNS) - len(row[:width]))
        if all(v in (None, "") for v in values):
            continue
        if len(records) >= settings.HOURS_MAX_BATCH:
            wb.close()
            # Refused while reading: no chunk of the workbook is stored.
            raise ValueError(_("工作簿超过 %(n)d 行，请拆分后分批上传。") % {"n": settings.HOURS_MAX_BATCH})
        ext, id_number, name, class_id, subject, hours, completed, work_region = values
        completed = _cell_date(completed)
        records.append(
            {
                "_row": number,
                "external_id": "" if ext is None else str(ext).strip(),
                "id_number": "" if id_number is None else str(id_number).strip(),
                "name": "" if name is None else str(name).strip(),
                "class_id": class_id,
                "subject": SUBJECTS.get(str(subject).strip() if subject is not None else "", str(subject)),
                "hours": hours,
                "completed_on": "" if completed is None else str(completed).strip(),
                "work_region": work_region,
            }
        )
    wb.close()
    return records


def refused_workbook(path, payload_rows: dict, refused: list) -> int:
    """Write the refused rows, as uploaded but with ID numbers masked, with the reason of each (write-only
    mode; cells that Excel would read as formulas are escaped)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("未通过的记录")
    ws.append(["行号", *COLUMNS, "原因"])
    subjects = {"general": "公需科目", "professional": "专业科目"}
    count = 0
    for item in sorted(refused, key=lambda r: r.get("row") or 0):
        rec = payload_rows.get(item.get("row"), {})
        values = [
            item.get("row"),
            rec.get("external_id"),
            rec.get("id_number"),
            rec.get("name"),
            rec.get("class_id"),
            subjects.get(rec.get("subject"), rec.get("subject")),
            rec.get("hours"),
            rec.get("completed_on"),
            rec.get("work_region"),
            item["reason"],
        ]
        ws.append([safe_cell(v) for v in values])
        count += 1
    wb.save(path)
    return count
