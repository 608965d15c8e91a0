"""The filled 《四川省专业技术人员继续教育基地申报表》 as an Excel workbook laid out like the paper form (R-14)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from accounts.models import Organization
from kit.excel import excel_response, safe_cell

from .models import RULE_KINDS, AttachmentKind, StaffMember
from .rules import article8_checklist, staff_counts

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="EEF4FB")
WRAP = Alignment(wrap_text=True, vertical="center")


def _row(ws, r, label, value, span=4):
    ws.cell(row=r, column=1, value=label).font = Font(bold=True)
    ws.cell(row=r, column=1).fill = LABEL_FILL
    ws.cell(row=r, column=2, value=safe_cell(value))
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=1 + span)
    for c in range(1, 2 + span):
        ws.cell(row=r, column=c).border = BOX
        ws.cell(row=r, column=c).alignment = WRAP
    return r + 1


def _heading(ws, r, text):
    ws.cell(row=r, column=1, value=text).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    return r + 1


def _rows(ws, r, pairs):
    for label, value in pairs:
        r = _row(ws, r, label, value)
    return r


def _file_name(attachment):
    return attachment.original_name if attachment else "（未上传）"


def _region_name(region):
    """Name a county together with its city, as the paper form does."""
    if region and region.parent_id and region.level == "county":
        return f"{region.parent.name}{region.name}"
    return region.name if region else ""


def _title(ws, app):
    ws.title = "申报表"
    ws.column_dimensions["A"].width = 26
    for col in "BCDE":
        ws.column_dimensions[col].width = 22
    ws.cell(row=1, column=1, value="四川省专业技术人员继续教育基地申报表").font = Font(bold=True, size=16)
    ws.merge_cells("A1:E1")
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.cell(
        row=2,
        column=1,
        value=f"申报批次：{app.batch.title}    申报级别：{app.batch.get_level_display()}    版本：{app.version}",
    )
    ws.merge_cells("A2:E2")


def _institution_section(ws, r, app):
    r = _heading(ws, r, "一、申报单位基本情况")
    types = dict(Organization.InstitutionType.choices)
    r = _rows(
        ws,
        r,
        [
            ("申报单位名称", app.institution.name),
            ("统一社会信用代码", app.institution.credit_code),
            ("机构类型", str(types.get(app.institution_type, ""))),
            ("在省内依法登记的独立法人", "是" if app.registered_in_sichuan else "否"),
            ("培训或继续教育相关资质", app.training_qualification),
            ("法定代表人", app.legal_representative),
            ("地址", app.address),
            ("所在地区", _region_name(app.region)),
            ("拟建基地名称", app.base_name),
            ("培训领域", "、".join(app.fields or [])),
            ("联系人", app.contact_name),
            ("联系电话", app.contact_phone),
            ("电子邮箱", app.contact_email),
        ],
    )
    if app.recommending_authority_id:
        r = _row(ws, r, "推荐部门", app.recommending_authority.name)
    return r


def _staff_section(ws, r, app):
    r = _heading(ws, r, "二、师资队伍")
    counts = staff_counts(app)
    r = _row(
        ws,
        r,
        "人数统计",
        f"专职教师 {counts['full_time_teachers']} 人；兼职教师 {counts['part_time_teachers']} 人；政策研究和宣讲专职人员 {counts['policy_research']} 人；线上教学与平台运营技术人员 {counts['online_technical']} 人",
    )
    for i, h in enumerate(["姓名", "职称", "专业领域", "类别", "专兼职"], start=1):
        cell = ws.cell(row=r, column=i, value=h)
        cell.font = Font(bold=True)
        cell.fill = LABEL_FILL
        cell.border = BOX
    r += 1
    cats = dict(StaffMember.Category.choices)
    emps = dict(StaffMember.Employment.choices)
    for p in app.staff.all():
        for i, v in enumerate(
            [p.name, p.title, p.field, str(cats[p.category]), str(emps[p.employment])], start=1
        ):
            ws.cell(row=r, column=i, value=safe_cell(v)).border = BOX
        r += 1
    return r


def _management_section(ws, r, app, current):
    r = _heading(ws, r, "三、管理机构与管理制度")
    r = _row(ws, r, "基地管理机构", app.management_organ)
    r = _row(ws, r, "专职管理人员数", app.full_time_managers)
    return _rows(ws, r, [(str(kind.label), _file_name(current.get(kind))) for kind in RULE_KINDS])


def _facilities_section(ws, r, app):
    r = _heading(ws, r, "四、设施条件与远程教育")
    return _rows(
        ws,
        r,
        [
            ("经费保障", app.funding_guarantee),
            ("固定教室", app.classrooms),
            ("教学设备", app.teaching_equipment),
            ("专业图书资料", app.library_resources),
            ("实训场所或实训合作单位", app.practical_site),
            ("网络基础设施与教学设备", app.network_infrastructure),
            ("网络培训平台名称", app.platform_name),
            ("网络培训平台网址", app.platform_url),
            ("平台功能", app.platform_features),
        ],
    )


def _scale_section(ws, r, app):
    r = _heading(ws, r, "五、培训规模")
    r = _rows(ws, r, [(f"{year} 年培训人数", n if n is not None else "") for year, n in app.trainee_years])
    return _row(ws, r, "服务的重点领域", app.key_fields_served)


def _credit_section(ws, r, app, current):
    r = _heading(ws, r, "六、社会信用")
    return _rows(
        ws,
        r,
        [
            ("信用承诺", "已承诺" if app.credit_declared else "未承诺"),
            ("信用情况说明", app.credit_statement),
            ("信用证明材料", _file_name(current.get(AttachmentKind.CREDIT_EVIDENCE))),
        ],
    )


def _checklist_section(ws, r, app):
    r = _heading(ws, r, "七、基本条件核对（《办法》第八条）")
    return _rows(
        ws,
        r,
        [
            (f"{check.article} {check.label}", ("符合" if check.met else "不符合") + f"：{check.detail}")
            for check in article8_checklist(app)
        ],
    )


def _signatures(ws, r):
    ws.cell(row=r, column=1, value="申报单位（盖章）：")
    ws.cell(row=r, column=4, value="法定代表人（签字）：")
    ws.cell(row=r + 2, column=4, value="年    月    日")


def build_workbook(app) -> Workbook:
    """Lay the application out like the paper form: seven sections, a blank row after each, then signatures."""
    wb = Workbook()
    ws = wb.active
    _title(ws, app)
    current = {a.kind: a for a in app.attachments.all() if a.is_current}
    r = _institution_section(ws, 4, app) + 1
    r = _staff_section(ws, r, app) + 1
    r = _management_section(ws, r, app, current) + 1
    r = _facilities_section(ws, r, app) + 1
    r = _scale_section(ws, r, app) + 1
    r = _credit_section(ws, r, app, current) + 1
    r = _checklist_section(ws, r, app) + 1
    _signatures(ws, r + 1)
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    return wb


def application_workbook_response(app) -> HttpResponse:
    buffer = io.BytesIO()
    build_workbook(app).save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="application-{app.pk}-{stamp}.xlsx"'
    return response


def _number(value):
    return "" if value is None else float(value)


def panel_sheet_response(batch, rows):
    """The batch's 评审汇总表 as a spreadsheet, ranked as on the page."""
    headers = [
        _("排名"),
        _("拟建基地名称"),
        _("申报单位"),
        _("专家平均分"),
        _("最低分"),
        _("最高分"),
        _("评分专家数"),
        _("实地考察"),
        _("优先遴选"),
        _("第八条基本条件"),
        _("评审结论"),
        _("赞成票"),
        _("反对票"),
        _("弃权票"),
        _("评审意见"),
        _("状态"),
    ]

    def line(row):
        r = row.resolution
        return [
            row.rank,
            str(row.application),
            row.application.institution.name,
            _number(row.mean),
            _number(row.low),
            _number(row.high),
            row.scored,
            _("通过") if row.visit and row.visit.passed else _("不通过"),
            _("是") if row.application.priority else _("否"),
            f"{row.checklist_met}/{row.checklist_total}",
            "" if r is None else (_("通过") if r.passed else _("不通过")),
            "" if r is None else r.votes_for,
            "" if r is None else r.votes_against,
            "" if r is None else r.votes_abstain,
            "" if r is None else r.remarks,
            row.application.get_state_display(),
        ]

    stamp = timezone.localtime().strftime("%Y%m%d")
    return excel_response(
        filename=f"panel-sheet-batch-{batch.pk}-{stamp}.xlsx",
        title=_("评审汇总表"),
        headers=headers,
        rows=(line(row) for row in rows),
    )
