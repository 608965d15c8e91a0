"""The conditions of Article 8 (R-05..R-12) and the bar of Article 24 (R-15), evaluated on an application.

`article8_checklist()` is what the applicant sees in step 7 and what `submit` enforces: a submission is refused
while any hard condition is unmet, with every unmet condition listed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.identifiers import validate_credit_code
from accounts.models import Organization

from .models import RULE_KINDS, AttachmentKind, Section, StaffMember

# R-07 thresholds (Art. 8(2)).
MIN_FULL_TIME_TEACHERS = 8
MIN_PART_TIME_TEACHERS = 15
MIN_POLICY_RESEARCH_STAFF = 2
MIN_ONLINE_TECHNICAL_STAFF = 2
# R-11 threshold for provincial bases (Art. 8(6)).
MIN_PROVINCIAL_TRAINEES = 2000


@dataclass(frozen=True)
class Check:
    key: str
    article: str
    label: str
    met: bool
    detail: str
    section: str


def staff_counts(application) -> dict:
    """Derive the R-07 counts from the listed people; nobody types a count."""
    counts = {"full_time_teachers": 0, "part_time_teachers": 0, "policy_research": 0, "online_technical": 0}
    for person in application.staff.all():
        if person.category == StaffMember.Category.TEACHER:
            if person.employment == StaffMember.Employment.FULL_TIME:
                counts["full_time_teachers"] += 1
            else:
                counts["part_time_teachers"] += 1
        elif person.category == StaffMember.Category.POLICY_RESEARCH:
            if person.employment == StaffMember.Employment.FULL_TIME:
                counts["policy_research"] += 1
        elif person.category == StaffMember.Category.ONLINE_TECHNICAL:
            counts["online_technical"] += 1
    return counts


def _current_kinds(application) -> set:
    return {a.kind for a in application.attachments.all() if a.is_current}


def _filled(*values) -> bool:
    return all(v not in (None, "", []) and (not isinstance(v, str) or v.strip()) for v in values)


def _count_check(key, label, have, need):
    met = have >= need
    detail = _("已列 %(have)d 人，要求不少于 %(need)d 人") % {"have": have, "need": need}
    if not met:
        detail += _("，尚缺 %(gap)d 人") % {"gap": need - have}
    return Check(key, "第八条（二）", label, met, detail, Section.STAFF)


def article8_checklist(application) -> list[Check]:
    """Return every Article 8 condition of the application as met or not met, with the reason."""
    app = application
    checks = []
    kinds = _current_kinds(app)

    # 8(1) and Art. 9: an eligible, independent legal person registered in Sichuan, with training qualifications.
    code_ok = True
    try:
        validate_credit_code(app.institution.credit_code or "")
    except Exception:  # noqa: BLE001  (any validation failure means not met)
        code_ok = False
    type_ok = app.institution_type in Organization.InstitutionType.values
    legal_ok = (
        app.registered_in_sichuan
        and code_ok
        and _filled(app.training_qualification, app.legal_representative)
    )
    missing = []
    if not type_ok:
        missing.append(_("机构类型不属于第九条所列类型"))
    if not app.registered_in_sichuan:
        missing.append(_("未确认在省内依法登记"))
    if not code_ok:
        missing.append(_("统一社会信用代码无效"))
    if not _filled(app.training_qualification):
        missing.append(_("未填写培训资质"))
    if not _filled(app.legal_representative):
        missing.append(_("未填写法定代表人"))
    if AttachmentKind.QUALIFICATION not in kinds:
        missing.append(_("未上传法人登记及培训资质证明"))
    checks.append(
        Check(
            "legal_person",
            "第八条（一）、第九条",
            _("省内依法登记、具有培训资质的独立法人，属于第九条所列机构类型"),
            type_ok and legal_ok and AttachmentKind.QUALIFICATION in kinds,
            "；".join(missing) or _("已满足"),
            Section.INSTITUTION,
        )
    )
    base_missing = []
    if not _filled(app.base_name):
        base_missing.append(_("拟建基地名称"))
    if not app.fields:
        base_missing.append(_("培训领域"))
    if not app.region_id:
        base_missing.append(_("所在区划"))
    if not _filled(app.address):
        base_missing.append(_("地址"))
    if not _filled(app.contact_name, app.contact_phone):
        base_missing.append(_("联系人及电话"))
    checks.append(
        Check(
            "base_facts",
            "第十条（一）",
            _("申报表基本信息完整"),
            not base_missing,
            (_("未填写：") + "、".join(base_missing)) if base_missing else _("已满足"),
            Section.INSTITUTION,
        )
    )

    # 8(2) staff thresholds, derived from the lists.
    counts = staff_counts(app)
    checks.append(
        _count_check(
            "full_time_teachers",
            _("专职教师不少于 8 人"),
            counts["full_time_teachers"],
            MIN_FULL_TIME_TEACHERS,
        )
    )
    checks.append(
        _count_check(
            "part_time_teachers",
            _("兼职教师不少于 15 人"),
            counts["part_time_teachers"],
            MIN_PART_TIME_TEACHERS,
        )
    )
    checks.append(
        _count_check(
            "policy_research",
            _("开展政策研究和宣讲的专职人员不少于 2 人"),
            counts["policy_research"],
            MIN_POLICY_RESEARCH_STAFF,
        )
    )
    checks.append(
        _count_check(
            "online_technical",
            _("熟悉线上教学和平台运营的技术人员不少于 2 人"),
            counts["online_technical"],
            MIN_ONLINE_TECHNICAL_STAFF,
        )
    )

    # 8(3) management organ, full-time managers and the eight rules.
    missing_rules = [str(k.label) for k in RULE_KINDS if k not in kinds]
    organ_ok = _filled(app.management_organ) and app.full_time_managers >= 1
    detail = []
    if not _filled(app.management_organ):
        detail.append(_("未填写管理机构"))
    if app.full_time_managers < 1:
        detail.append(_("无专职管理人员"))
    if missing_rules:
        detail.append(_("缺少制度文件：") + "、".join(missing_rules))
    checks.append(
        Check(
            "management",
            "第八条（三）",
            _("健全的管理机构、专职管理队伍和八项管理制度"),
            organ_ok and not missing_rules,
            "；".join(detail) or _("已满足"),
            Section.MANAGEMENT,
        )
    )

    # 8(4) resources.
    res_missing = [
        label
        for value, label in [
            (app.funding_guarantee, _("经费保障")),
            (app.classrooms, _("固定教室")),
            (app.teaching_equipment, _("教学设备")),
            (app.library_resources, _("专业图书资料")),
        ]
        if not _filled(value)
    ]
    checks.append(
        Check(
            "resources",
            "第八条（四）",
            _("经费保障、固定教室、教学设备和专业图书资料"),
            not res_missing,
            (_("未填写：") + "、".join(res_missing)) if res_missing else _("已满足"),
            Section.RESOURCES,
        )
    )

    # 8(5) remote education.
    remote_missing = [
        label
        for value, label in [
            (app.network_infrastructure, _("网络基础设施")),
            (app.platform_name, _("平台名称")),
            (app.platform_url, _("平台网址")),
            (app.platform_features, _("平台功能")),
        ]
        if not _filled(value)
    ]
    checks.append(
        Check(
            "remote",
            "第八条（五）",
            _("现代远程教育条件和网络培训管理平台"),
            not remote_missing,
            (_("未填写：") + "、".join(remote_missing)) if remote_missing else _("已满足"),
            Section.RESOURCES,
        )
    )

    # 8(6) scale: the last three years are stated; a provincial base trains >= 2,000 a year.
    years = app.trainee_years
    all_years = all(n is not None for _y, n in years)
    last_year, last = years[-1]
    provincial = app.batch.level == "provincial"
    if not all_years:
        scale_ok, detail = False, _("请填写近三年每年的培训人数")
    elif provincial and last < MIN_PROVINCIAL_TRAINEES:
        scale_ok = False
        detail = _("%(y)d 年培训 %(n)d 人，省级基地要求每年不少于 %(min)d 人") % {
            "y": last_year,
            "n": last,
            "min": MIN_PROVINCIAL_TRAINEES,
        }
    else:
        scale_ok = True
        detail = _("%(y)d 年培训 %(n)d 人") % {"y": last_year, "n": last}
        if provincial:
            detail += _("，达到省级基地每年 %(min)d 人的要求") % {"min": MIN_PROVINCIAL_TRAINEES}
    if not _filled(app.key_fields_served):
        scale_ok = False
        detail += _("；未填写服务的重点领域")
    checks.append(
        Check(
            "scale",
            "第八条（六）",
            _("省级基地每年培训专业技术人才不少于 2000 名") if provincial else _("近三年培训规模"),
            scale_ok,
            detail,
            Section.SCALE,
        )
    )

    # 8(7) credit: declared, explained and evidenced.
    credit_missing = []
    if not app.credit_declared:
        credit_missing.append(_("未作信用承诺"))
    if not _filled(app.credit_statement):
        credit_missing.append(_("未填写信用情况说明"))
    if AttachmentKind.CREDIT_EVIDENCE not in kinds:
        credit_missing.append(_("未上传信用证明材料"))
    checks.append(
        Check(
            "credit",
            "第八条（七）",
            _("社会信用良好，无违法、失信及乱办班、乱收费、乱发证记录"),
            not credit_missing,
            "；".join(credit_missing) or _("已满足"),
            Section.CREDIT,
        )
    )
    return checks


def unmet(application) -> list[Check]:
    return [c for c in article8_checklist(application) if not c.met]


def bar_reason(institution) -> str | None:
    """R-15 (Art. 24): why the institution may not apply, or None."""
    from bases.models import Base, InstitutionBar

    bar = InstitutionBar.objects.filter(institution=institution).order_by("-recorded_at").first()
    if bar is not None:
        return _("根据《办法》第二十四条，本机构因“%(reason)s”不再受理申请：%(detail)s") % {
            "reason": bar.get_reason_display(),
            "detail": bar.detail,
        }
    revoked = Base.objects.filter(institution=institution, status=Base.Status.REVOKED).first()
    if revoked is not None:
        return _("根据《办法》第二十四条，本机构的“%(base)s”已被取消继续教育基地资格，不再受理其申请。") % {
            "base": revoked.name
        }
    return None


def hosts_municipal_or_industry_base(institution) -> bool:
    """R-13: provincial applications from institutions already hosting a municipal or industry base."""
    from bases.models import Base, Level

    return Base.objects.filter(
        institution=institution, level__in=[Level.MUNICIPAL, Level.INDUSTRY], status=Base.Status.ACTIVE
    ).exists()
