"""Demo registry data (DEBUG only): existing bases imported through the real import, a national and a revoked
one, a pending change request with a fee increase, and an open misconduct report."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from stdnum.cn import uscc

from accounts.models import User

from . import services
from .imports import COLUMNS, bases_import
from .models import Base, ChangeRequest, FeeStandard, InstitutionBar, MisconductReport, Partner


def _code(body):
    return body + uscc.calc_check_digit(body)


EXISTING = [
    # institution, credit-code body, base, level, authority, region, fields, date, certificate
    (
        "电子科技示范大学（演示）",
        "12510000MB1000001",
        "国家级专业技术人员继续教育基地（电子信息）",
        "国家级",
        "四川省人力资源和社会保障厅",
        "510107",
        "电子信息、人工智能",
        "2019-11-20",
        "人社国基〔2019〕015号",
    ),
    (
        "天府农业科学研究院（演示）",
        "12510000MB1000002",
        "现代农业继续教育基地",
        "省级",
        "四川省人力资源和社会保障厅",
        "510115",
        "现代农业、种业",
        "2022-05-18",
        "川继基省〔2022〕003号",
    ),
    (
        "川南化工职业学院（演示）",
        "12510500MB1000003",
        "泸州化工新材料继续教育基地",
        "省级",
        "四川省人力资源和社会保障厅",
        "510502",
        "新材料、化工安全",
        "2023-06-30",
        "川继基省〔2023〕007号",
    ),
    (
        "绵州工程技术学会（演示）",
        "51510700MJ1000004",
        "绵阳科技城工程技术继续教育基地",
        "市（州）级",
        "绵阳市人力资源和社会保障局",
        "510703",
        "工程技术、军民融合",
        "2021-09-01",
        "川继基市〔2021〕002号",
    ),
    (
        "南充丝绸产业培训中心（演示）",
        "91511300MA1000005",
        "南充纺织服装继续教育基地",
        "市（州）级",
        "南充市人力资源和社会保障局",
        "511302",
        "纺织服装",
        "2020-12-10",
        "川继基市〔2020〕011号",
    ),
    (
        "宜宾数字产业研究院（演示）",
        "12511500MB1000006",
        "宜宾动力电池产业继续教育基地",
        "市（州）级",
        "宜宾市人力资源和社会保障局",
        "511502",
        "新能源、动力电池",
        "2024-03-15",
        "川继基市〔2024〕001号",
    ),
    (
        "武侯社区卫生培训中心（演示）",
        "52510107MJ1000007",
        "武侯区基层卫生继续教育基地",
        "县级",
        "成都市武侯区人力资源和社会保障局",
        "510107",
        "基层卫生",
        "2022-10-08",
        "川继基县〔2022〕001号",
    ),
    (
        "四川省护理学会（演示）",
        "51510000MJ1000008",
        "四川护理继续教育基地",
        "行业性",
        "四川省卫生健康委员会",
        "510104",
        "护理、卫生健康",
        "2021-04-22",
        "川继基行〔2021〕004号",
    ),
    (
        "凉山民族教育培训中心（演示）",
        "12513400MB1000009",
        "凉山民族地区教师继续教育基地",
        "市（州）级",
        "凉山彝族自治州人力资源和社会保障局",
        "513401",
        "教育、民族地区公益培训",
        "2023-08-08",
        "川继基市〔2023〕005号",
    ),
    (
        "锦城速成培训学校（演示）",
        "91510100MA1000010",
        "锦城职业能力继续教育基地",
        "市（州）级",
        "成都市人力资源和社会保障局",
        "510106",
        "职业能力",
        "2020-06-01",
        "川继基市〔2020〕003号",
    ),
]


def workbook_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        inst, body, name, level, authority, region, fields, day, cert = row
        ws.append([inst, _code(body), name, level, authority, region, fields, day, cert])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def seed(*, stdout=None, context=None):
    orgs = context or {}
    if Base.objects.filter(is_imported=True).exists():
        if stdout:
            stdout.write("bases: demo registry already exists, left as it is")
        return {}
    admin = User.objects.get(username="admin_sc")
    upload = SimpleUploadedFile("bases.xlsx", workbook_bytes(EXISTING))
    result = bases_import(actor=admin, upload=upload, publish_notice=True)
    if not result.ok:
        raise RuntimeError(f"demo import failed: {result.errors}")

    # One revoked base and the bar on its institution; the revocation workflow itself comes with
    # the supervision issue, so the demo sets the outcome directly.
    revoked = Base.objects.get(certificate_no="川继基市〔2020〕003号")
    Base.objects.filter(pk=revoked.pk).update(status=Base.Status.REVOKED)
    InstitutionBar.objects.get_or_create(
        institution=revoked.institution,
        reason=InstitutionBar.Reason.BASE_REVOKED,
        defaults={
            "detail": "2025 年检查发现只收费不培训，整改期满仍不合格，取消基地资格。",
            "recorded_by": admin,
        },
    )

    # Fees, partners and a pending change request with a fee increase on inst1's recognised base.
    base = Base.objects.filter(institution=orgs.get("inst1"), status=Base.Status.ACTIVE).first()
    if base is not None:
        FeeStandard.objects.create(base=base, item="专业科目面授培训", amount="680.00", unit="人·期")
        FeeStandard.objects.create(base=base, item="公需科目网络培训", amount="120.00", unit="人")
        Partner.objects.create(
            base=base,
            kind=Partner.Kind.INDUSTRY,
            name="成都示范智能制造有限公司（演示）",
            description="共建实训车间",
        )
        services.base_version_record(
            base=base, source="change", actor=User.objects.get(username="cd_approver")
        )
        facts = services.base_facts(base)
        facts["contact_phone"] = "028-80001234"
        facts["fees"][0]["amount"] = "780.00"
        operator = User.objects.get(username="inst1_operator")
        services.change_request_create(
            actor=operator,
            base=base,
            proposed=facts,
            reasons="联系电话调整；面授课程增加实训环节，成本上升。",
        )

    # An open misconduct report from a member of the public, for the Wuhou county HR department (wh_reviewer) to
    # triage.
    target = Base.objects.get(certificate_no="川继基县〔2022〕001号")
    services.misconduct_report_create(
        base=target,
        category=MisconductReport.Category.TOURISM,
        description="2026 年 10 月以“研修班”名义组织学员赴九寨沟旅游，实际授课不足半天。",
        reporter_name="李某",
        reporter_phone="13900001111",
        ip_address="127.0.0.1",
    )
    if stdout:
        stdout.write(
            f"bases: {len(result.created)} existing bases imported (one national, one revoked), "
            f"{ChangeRequest.objects.count()} pending change request, 1 open misconduct report"
        )
    return {}
