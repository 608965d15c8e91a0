"""Excel exchange of the hours registry: the upload template, reading an upload (python-calamine, rows yielded one
by one), and the refused rows with their reasons."""

import contextlib
import datetime
import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

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
    if type(value) is str:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return value  # already YYYY-MM-DD, the template's form (parsing checks it is a real date)
    elif isinstance(value, datetime.datetime):
        return value.date().isoformat()
    elif isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and (match := DATE_TEXT.match(value)):
        year, month, day = (int(g) for g in match.groups())
        with contextlib.suppress(ValueError):
            return datetime.date(year, month, day).isoformat()
    return value


def read_rows(path) -> list[dict]:
    """Read an uploaded workbook into record dicts, all at once (see iter_records)."""
    return list(iter_records(path))


def iter_records(path):
    """Yield the records of an uploaded workbook's first worksheet, each with its row number, skipping blank rows
    (calamine gives an empty cell as "", openpyxl gave None: records get None, as before).
    Raises ValueError on an unreadable workbook, a bad header or more rows than HOURS_MAX_BATCH — the
    caller stores nothing of a workbook until it has been read to its end.

    python-calamine reads the sheet whole into its own (compact) memory; rows become Python objects one at a time.
    """
    with _first_worksheet(path) as sheet:
        rows = sheet.iter_rows()
        width = _width(next(rows, []))
        limit = settings.HOURS_MAX_BATCH
        count = 0
        for number, row in enumerate(rows, start=2):
            values = [None if v == "" else _number(v) if type(v) is float else v for v in row[:width]]
            if all(v is None for v in values):
                continue
            count += 1
            if count > limit:
                raise ValueError(_("工作簿超过 %(n)d 行，请拆分后分批上传。") % {"n": limit})
            yield _record(number, values + [None] * (len(COLUMNS) - len(values)))


@contextlib.contextmanager
def _first_worksheet(path):
    """Yield the first worksheet (not a chart sheet) of a workbook, read by python-calamine; close it after."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        sheet = workbook.get_sheet_by_name(names[0]) if names else None
    except CalamineError as exc:
        raise ValueError(_("无法读取该工作簿，请用 Excel 另存为 .xlsx 后重新上传。")) from exc
    try:
        # The header must be the first row from column A, as in the template: calamine starts a sheet at its
        # first non-empty cell, so anything else would shift the row numbers or the columns.
        if sheet is None or sheet.start != (0, 0):
            raise ValueError(_("表头应为：") + "、".join(COLUMNS))
        yield sheet
    finally:
        workbook.close()


def _width(header_row) -> int:
    """Return how many columns to read, once the header is the template's."""
    header = ["" if v is None else str(v).strip() for v in header_row][: len(COLUMNS)]
    if header[: len(REQUIRED_COLUMNS)] != REQUIRED_COLUMNS:
        raise ValueError(_("表头应为：") + "、".join(COLUMNS))
    # Any other heading in the last place is a column of the base's own, not a work region.
    return len(COLUMNS) if header[len(REQUIRED_COLUMNS) :] == [WORK_REGION_COLUMN] else len(REQUIRED_COLUMNS)


EXACT_FLOAT = 2**53


def _number(value: float):
    """Return a number cell as openpyxl gave it: an int when whole (calamine reads every number as a float; whole
    numbers beyond 2**53 stay floats, they are not exact anyway)."""
    if value.is_integer() and -EXACT_FLOAT < value < EXACT_FLOAT:
        return int(value)
    return value


def _record(number, values) -> dict:
    ext, id_number, name, class_id, subject, hours, completed, work_region = values
    completed = _cell_date(completed)
    return {
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
