"""Import of bases recognised before the portal existed, national bases included (R-36).

Every row is validated first; while any row is bad nothing is written and each bad row is reported with its
row number and reason. The certificate number identifies a base, so importing the same workbook again creates
no duplicates.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from stdnum.cn import uscc

from accounts.identifiers import normalize_credit_code, validate_credit_code
from accounts.models import Organization, Region
from audit.services import audit_record
from kit.errors import InvalidInput, PermissionRefused
from kit.uploads import check_upload

from .models import Base, Level, Notice
from .permissions import can_import_bases
from .services import base_index, base_version_record, notice_publish, provincial_hr

COLUMNS = [
    "施教机构名称",
    "统一社会信用代码",
    "基地名称",
    "级别",
    "批准部门",
    "所在区划",
    "培训领域",
    "认定日期",
    "证书编号",
]
# The template's example row is marked in its first cell and is never imported, kept or not.
EXAMPLE_MARK = "【示例】"
EXAMPLE = [
    EXAMPLE_MARK + "四川示例职业学院",
    "12510000MB0000009X",
    "示例数字经济继续教育基地",
    "省级",
    "四川省人力资源和社会保障厅",
    "510104",
    "数字经济、智能制造",
    "2023-06-30",
    "川继基省〔2023〕001号",
]
LEVEL_WORDS = {
    "国家级": Level.NATIONAL,
    "national": Level.NATIONAL,
    "省级": Level.PROVINCIAL,
    "provincial": Level.PROVINCIAL,
    "市级": Level.MUNICIPAL,
    "市（州）级": Level.MUNICIPAL,
    "市州级": Level.MUNICIPAL,
    "municipal": Level.MUNICIPAL,
    "县级": Level.COUNTY,
    "county": Level.COUNTY,
    "行业性": Level.INDUSTRY,
    "行业": Level.INDUSTRY,
    "industry": Level.INDUSTRY,
}
# who may have approved a base of each level. National bases are registered by the province.
AUTHORITY_KIND_FOR_LEVEL = {
    Level.NATIONAL: Organization.Kind.PROVINCIAL_HR,
    Level.PROVINCIAL: Organization.Kind.PROVINCIAL_HR,
    Level.MUNICIPAL: Organization.Kind.MUNICIPAL_HR,
    Level.COUNTY: Organization.Kind.COUNTY_HR,
    Level.INDUSTRY: Organization.Kind.INDUSTRY_AUTHORITY,
}
MAX_ROWS = 10_000


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # (row number, reason)
    skipped: list = field(default_factory=list)  # (row number, reason): rows left out on purpose
    created: list = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self):
        return not self.errors


def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "基地名录"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    # The example's check character is computed so that it validates.

    example = list(EXAMPLE)
    example[1] = example[1][:17] + uscc.calc_check_digit(example[1][:17])
    ws.append(example)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080")
    for col, width in zip("ABCDEFGHI", [28, 22, 30, 10, 28, 12, 24, 12, 24], strict=True):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("填写说明")
    for line in [
        "每行一个继续教育基地；第 1 行为表头，请勿修改。第 2 行为示例（施教机构名称以“【示例】”开头），"
        "导入时自动跳过，可删除也可保留。",
        "级别：国家级、省级、市（州）级、县级、行业性。国家级基地的批准部门填写省人力资源和社会保障厅（《办法》第三十六条）。",
        "批准部门：须与平台中的部门名称一致，如“成都市人力资源和社会保障局”“四川省卫生健康委员会”。",
        "所在区划：6 位行政区划代码或区县名称。培训领域：多个用顿号分隔。认定日期：YYYY-MM-DD。",
        "证书编号唯一标识一个基地：再次导入同一证书编号将更新该基地，不会新增。",
    ]:
        notes.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _region(value):
    text = _text(value)
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit():
        return Region.objects.filter(pk=text).first()
    matches = list(Region.objects.filter(name=text)[:2])
    return matches[0] if len(matches) == 1 else None


def parse_rows(upload) -> list[tuple[int, list]]:

    checked = check_upload(upload)
    if checked.kind != "xlsx":
        raise InvalidInput(
            _("请上传 .xlsx 格式的工作簿。"), field_errors={"file": [_("请上传 .xlsx 格式的工作簿。")]}
        )
    upload.seek(0)
    wb = load_workbook(upload, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, [])][: len(COLUMNS)]
    if header != COLUMNS:
        raise InvalidInput(
            _("表头与模板不一致，请下载最新模板填写。"),
            field_errors={"file": [_("表头应为：") + "、".join(COLUMNS)]},
        )
    parsed = []
    for number, row in enumerate(rows, start=2):
        values = list(row[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(row[: len(COLUMNS)]))
        if all(_text(v) == "" for v in values):
            continue
        parsed.append((number, values))
        if len(parsed) > MAX_ROWS:
            raise InvalidInput(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    wb.close()
    return parsed


def _credit_code_problems(code) -> list:
    try:
        validate_credit_code(code)
    except Exception as exc:  # noqa: BLE001
        return [_("统一社会信用代码无效（%(e)s）") % {"e": " ".join(getattr(exc, "messages", [str(exc)]))}]
    return []


def _authority_problems(level_word, level, authority_name, authority) -> list:
    """Check the level word and the approving authority, and that such an authority recognises such a level."""
    problems = []
    if level is None:
        problems.append(_("级别“%(v)s”无效") % {"v": _text(level_word)})
    if authority is None:
        problems.append(_("批准部门“%(v)s”不存在") % {"v": _text(authority_name)})
    elif level and authority.kind != AUTHORITY_KIND_FOR_LEVEL[level]:
        problems.append(_("%(a)s不能认定%(l)s基地") % {"a": authority.name, "l": Level(level).label})
    return problems


def _date_problems(day) -> list:
    if day is None:
        return [_("认定日期无效，应为 YYYY-MM-DD")]
    if day > timezone.localdate():
        return [_("认定日期不能晚于今天")]
    return []


def _certificate_problems(cert, seen: dict, number: int) -> list:
    """Check the certificate number and note it in `seen`, so that a later row repeating it is refused."""
    if not cert:
        return [_("缺少证书编号")]
    if cert in seen:
        return [_("证书编号与第 %(n)d 行重复") % {"n": seen[cert]}]
    seen[cert] = number
    return []


def _field_list(value) -> list:
    # People separate fields with the full-width comma or an ASCII comma as often as with the enumeration comma.
    return [f.strip() for f in _text(value).replace("，", "、").replace(",", "、").split("、") if f.strip()]


def validate_row(values, authorities: dict, seen: dict, number: int):
    """Return (clean row, None) or (None, reason)."""
    inst_name, code, base_name, level_word, authority_name, region_value, fields, recognised, cert = values
    code = normalize_credit_code(_text(code))
    problems = _credit_code_problems(code)
    if not _text(inst_name):
        problems.append(_("缺少施教机构名称"))
    if not _text(base_name):
        problems.append(_("缺少基地名称"))
    level = LEVEL_WORDS.get(_text(level_word))
    authority = authorities.get(_text(authority_name))
    problems += _authority_problems(level_word, level, authority_name, authority)
    region = _region(region_value)
    if region is None:
        problems.append(_("所在区划“%(v)s”无效") % {"v": _text(region_value)})
    day = _date(recognised)
    problems += _date_problems(day)
    cert = _text(cert)
    problems += _certificate_problems(cert, seen, number)
    field_list = _field_list(fields)
    if not field_list:
        problems.append(_("缺少培训领域"))
    if problems:
        return None, "；".join(problems)
    return {
        "institution_name": _text(inst_name)[:120],
        "credit_code": code,
        "name": _text(base_name)[:120],
        "level": level,
        "authority": authority,
        "region": region,
        "fields": field_list[:10],
        "recognised_on": day,
        "certificate_no": cert[:60],
    }, None


def is_example_row(values) -> bool:
    """Whether a row is the template's example: marked, or the unmarked example of an older template."""
    if _text(values[0]).startswith(EXAMPLE_MARK):
        return True
    code = normalize_credit_code(_text(values[1]))
    return code[:17] == EXAMPLE[1][:17] and _text(values[2]) == EXAMPLE[2]


def _validate_rows(rows, result: ImportResult) -> list:
    """Validate every row, noting the bad ones in `result`; return the good ones with their row numbers.

    The template's example row is left out and noted in `result.skipped`: keeping it in the workbook must not
    put a fictitious base on the public list.
    """
    authorities = {
        o.name: o for o in Organization.objects.filter(kind__in=Organization.AUTHORITY_KINDS, is_active=True)
    }
    clean_rows, seen = [], {}
    for number, values in rows:
        if is_example_row(values):
            result.skipped.append((number, _("模板示例行，未导入")))
            continue
        clean, reason = validate_row(values, authorities, seen, number)
        if reason:
            result.errors.append((number, reason))
        else:
            clean_rows.append((number, clean))
    return clean_rows


def _existing_bases(clean_rows) -> dict:
    numbers = [c["certificate_no"] for _n, c in clean_rows]
    return {
        b.certificate_no: b
        for b in Base.objects.filter(certificate_no__in=numbers).select_related("institution")
    }


def _check_certificate_owners(clean_rows, existing: dict, result: ImportResult) -> None:
    """Refuse a row whose certificate number belongs to another institution's base: it would take that base over."""
    for number, clean in clean_rows:
        base = existing.get(clean["certificate_no"])
        if base is not None and base.institution.credit_code != clean["credit_code"]:
            result.errors.append((number, _("证书编号已被%(i)s的基地使用") % {"i": base.institution.name}))


def _base_values(clean) -> dict:
    """Return the base's fields from a clean row, creating its institution the first time it is seen."""
    institution, _created = Organization.objects.get_or_create(
        credit_code=clean["credit_code"],
        defaults={
            "name": clean["institution_name"],
            "kind": Organization.Kind.INSTITUTION,
            "region": clean["region"],
        },
    )
    return {
        "name": clean["name"],
        "institution": institution,
        "approving_authority": clean["authority"],
        "level": clean["level"],
        "region": clean["region"],
        "fields": clean["fields"],
        "recognised_on": clean["recognised_on"],
        "certificate_year": clean["recognised_on"].year,
    }


def _save_base(clean, base, *, actor, result: ImportResult) -> None:
    """Create the base, or update it where the row differs; count which it was in `result`."""

    values = _base_values(clean)
    if base is None:
        base = Base(certificate_no=clean["certificate_no"], is_imported=True, **values)
        base_index(base)
        base.save(force_insert=True)
        base_version_record(base=base, source="import", actor=actor)
        result.created.append(base)
    elif any(getattr(base, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(base, k, v)
        base.save(update_fields=list(values) + base_index(base))
        result.updated += 1
    else:
        result.unchanged += 1


def _publish_registration_notice(actor, created) -> None:

    lines = [_("下列继续教育基地为本平台上线前已认定的基地，现登记公布：")]
    lines += [
        f"{b.name}（{b.get_level_display()}，{b.institution.name}，证书编号 {b.certificate_no}）"
        for b in created
    ]
    notice = notice_publish(
        actor=actor,
        kind=Notice.Kind.REGISTRATION,
        title=_("关于公布既有继续教育基地名录的公告"),
        body="\n".join(lines),
        authority=provincial_hr(),
    )
    notice.listed_bases.set(created)


def bases_import(*, actor, upload, publish_notice: bool = False) -> ImportResult:
    """Import the workbook's bases: every row is checked first, and while any row is bad nothing is written."""
    if not can_import_bases(actor):
        raise PermissionRefused(_("只有省级系统管理员可以导入基地名录。"))
    rows = parse_rows(upload)
    result = ImportResult()
    clean_rows = _validate_rows(rows, result)
    result.rows = len(rows) - len(result.skipped)
    existing = _existing_bases(clean_rows)
    _check_certificate_owners(clean_rows, existing, result)
    if not rows:
        result.errors.append((2, _("工作簿中没有数据行")))
    elif not result.rows:
        result.errors.append((rows[0][0], _("工作簿中只有模板示例行，没有可导入的数据")))
    if result.errors:
        result.errors.sort()
        return result
    with transaction.atomic():
        for _number, clean in clean_rows:
            _save_base(clean, existing.get(clean["certificate_no"]), actor=actor, result=result)
        audit_record(
            actor=actor,
            action="bases.imported",
            comment=f"rows={result.rows} created={len(result.created)} updated={result.updated} unchanged={result.unchanged}",
        )
        if publish_notice and result.created:
            _publish_registration_notice(actor, result.created)
    return result
