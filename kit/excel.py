"""Excel exports in openpyxl's write-only mode: constant memory whatever the row count."""

import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

EXCEL_MAX_ROWS = 1_048_576  # write_only mode does not enforce Excel's limit; we do.


class TooManyRows(Exception):
    pass


def safe_cell(value):
    # Cells that start with = + - @ would be read as formulas by Excel (CSV/formula injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_workbook(path, *, title, headers, rows):
    """Write one sheet with a bold header row and return the number of data rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        count += 1
        if count >= EXCEL_MAX_ROWS:
            raise TooManyRows(f"More than {EXCEL_MAX_ROWS - 1} rows")
        ws.append([safe_cell(v) for v in row])
    wb.save(path)
    return count


def excel_response(*, filename, title, headers, rows):
    """Stream an .xlsx built in a temporary file (spooled to disk, not memory)."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by FileResponse)
    write_workbook(tmp.name, title=title, headers=headers, rows=rows)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
