"""The conditions of Article 8 (R-05..R-12) and the bar of Article 24 (R-15), evaluated on an application.

`article8_checklist()` is what the applicant sees in step 7 and what `submit` enforces: a submission is refused
while any hard condition is unmet, with every unmet condition listed. It runs one check per clause, in the
order of `CLAUSES`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.identifiers import validate_credit_code
from accounts.models import Organization
from bases.models import Base, InstitutionBar, Level
from kit.text import join_clauses, join_words

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


def _failing(conditions) -> list:
    """Return the message of every (holds, message) pair that does not hold, in the order given."""
    return [message for holds, message in conditions if not holds]


def _reasons(problems) -> str:
    return join_clauses(problems) or _("已满足")


def _unfilled(labels) -> str:
    return (_("未填写：") + join_words(labels)) if labels else _("已满足")


def _has_valid_credit_code(application) -> bool:
    try:
        validate_credit_code(application.institution.credit_code or "")
    except Exception:  # noqa: BLE001  (any validation failure means not met)
        return False
    return True


def _count_check(key, label, have, need):
    met = have >= need
    detail = _("已列 %(have)d 人，要求不少于 %(need)d 人") % {"have": have, "need": need}
    if not met:
        detail += _("，尚缺 %(gap)d 人") % {"gap": need - have}
    return Check(key, _("第八条（二）"), label, met, detail, Section.STAFF)


# Each clause check takes the application and the kinds of its current attachments (loaded once for all
# checks) and returns its items of the checklist.


def check_legal_person(app, attached) -> list[Check]:
    """Check Art. 8(1) and Art. 9 (R-05, R-06): an eligible independent legal person, registered in Sichuan,
    with training qualifications and a valid credit code."""
    problems = _failing(
        [
            (app.institution_type in Organization.InstitutionType.values, _("机构类型不属于第九条所列类型")),
            (app.registered_in_sichuan, _("未确认在省内依法登记")),
            (_has_valid_credit_code(app), _("统一社会信用代码无效")),
            (_filled(app.training_qualification), _("未填写培训资质")),
            (_filled(app.legal_representative), _("未填写法定代表人")),
            (AttachmentKind.QUALIFICATION in attached, _("未上传法人登记及培训资质证明")),
        ]
    )
    return [
        Check(
            "legal_person",
            _("第八条（一）、第九条"),
            _("省内依法登记、具有培训资质的独立法人，属于第九条所列机构类型"),
            not problems,
            _reasons(problems),
            Section.INSTITUTION,
        )
    ]


def check_application_form(app, attached) -> list[Check]:
    """Check Art. 10(1) (R-14): the basic facts of the application form are filled in.

    Not a clause of Article 8, but submission needs it just the same, so it is listed with them.
    """
    missing = _failing(
        [
            (_filled(app.base_name), _("拟建基地名称")),
            (bool(app.fields), _("培训领域")),
            (bool(app.region_id), _("所在区划")),
            (_filled(app.address), _("地址")),
            (_filled(app.contact_name, app.contact_phone), _("联系人及电话")),
        ]
    )
    return [
        Check(
            "base_facts",
            _("第十条（一）"),
            _("申报表基本信息完整"),
            not missing,
            _unfilled(missing),
            Section.INSTITUTION,
        )
    ]


def check_staff(app, attached) -> list[Check]:
    """Check Art. 8(2) (R-07): the four staff thresholds, counted from the listed people."""
    counts = staff_counts(app)
    thresholds = [
        ("full_time_teachers", _("专职教师不少于 8 人"), MIN_FULL_TIME_TEACHERS),
        ("part_time_teachers", _("兼职教师不少于 15 人"), MIN_PART_TIME_TEACHERS),
        ("policy_research", _("开展政策研究和宣讲的专职人员不少于 2 人"), MIN_POLICY_RESEARCH_STAFF),
        ("online_technical", _("熟悉线上教学和平台运营的技术人员不少于 2 人"), MIN_ONLINE_TECHNICAL_STAFF),
    ]
    return [_count_check(key, label, counts[key], need) for key, label, need in thresholds]


def check_management(app, attached) -> list[Check]:
    """Check Art. 8(3) (R-08): a management organ, full-time managers and the eight rules, each attached."""
    missing_rules = [str(k.label) for k in RULE_KINDS if k not in attached]
    problems = _failing(
        [
            (_filled(app.management_organ), _("未填写管理机构")),
            (app.full_time_managers >= 1, _("无专职管理人员")),
            (not missing_rules, _("缺少制度文件：") + join_words(missing_rules)),
        ]
    )
    return [
        Check(
            "management",
            _("第八条（三）"),
            _("健全的管理机构、专职管理队伍和八项管理制度"),
            not problems,
            _reasons(problems),
            Section.MANAGEMENT,
        )
    ]


def _all_filled(key, article, label, section, fields) -> list[Check]:
    """Return one item, met when every (value, name) in `fields` is filled in, else naming those that are not."""
    missing = [name for value, name in fields if not _filled(value)]
    return [Check(key, article, label, not missing, _unfilled(missing), section)]


def check_resources(app, attached) -> list[Check]:
    """Check Art. 8(4) (R-09): funding, fixed classrooms, teaching equipment and library material."""
    return _all_filled(
        "resources",
        _("第八条（四）"),
        _("经费保障、固定教室、教学设备和专业图书资料"),
        Section.RESOURCES,
        [
            (app.funding_guarantee, _("经费保障")),
            (app.classrooms, _("固定教室")),
            (app.teaching_equipment, _("教学设备")),
            (app.library_resources, _("专业图书资料")),
        ],
    )


def check_remote_education(app, attached) -> list[Check]:
    """Check Art. 8(5) (R-10): network infrastructure and an online training and management platform."""
    return _all_filled(
        "remote",
        _("第八条（五）"),
        _("现代远程教育条件和网络培训管理平台"),
        Section.RESOURCES,
        [
            (app.network_infrastructure, _("网络基础设施")),
            (app.platform_name, _("平台名称")),
            (app.platform_url, _("平台网址")),
            (app.platform_features, _("平台功能")),
        ],
    )


def _trainee_numbers(app, provincial) -> tuple[bool, str]:
    """Judge the stated yearly trainee numbers: all three years given, and a provincial base's last year
    at the R-11 minimum."""
    years = app.trainee_years
    if not all(n is not None for _y, n in years):
        return False, _("请填写近三年每年的培训人数")
    last_year, last = years[-1]
    if provincial and last < MIN_PROVINCIAL_TRAINEES:
        return False, _("%(y)d 年培训 %(n)d 人，省级基地要求每年不少于 %(min)d 人") % {
            "y": last_year,
            "n": last,
            "min": MIN_PROVINCIAL_TRAINEES,
        }
    detail = _("%(y)d 年培训 %(n)d 人") % {"y": last_year, "n": last}
    if provincial:
        detail += _("，达到省级基地每年 %(min)d 人的要求") % {"min": MIN_PROVINCIAL_TRAINEES}
    return True, detail


def check_scale(app, attached) -> list[Check]:
    """Check Art. 8(6) (R-11): the last three years are stated, a provincial base trains at least 2,000
    a year, and the key fields served are named."""
    provincial = app.batch.level == "provincial"
    met, detail = _trainee_numbers(app, provincial)
    if not _filled(app.key_fields_served):
        met = False
        detail += _("；未填写服务的重点领域")
    return [
        Check(
            "scale",
            _("第八条（六）"),
            _("省级基地每年培训专业技术人才不少于 2000 名") if provincial else _("近三年培训规模"),
            met,
            detail,
            Section.SCALE,
        )
    ]


def check_credit(app, attached) -> list[Check]:
    """Check Art. 8(7) (R-12): good social credit, declared, explained and evidenced."""
    problems = _failing(
        [
            (app.credit_declared, _("未作信用承诺")),
            (_filled(app.credit_statement), _("未填写信用情况说明")),
            (AttachmentKind.CREDIT_EVIDENCE in attached, _("未上传信用证明材料")),
        ]
    )
    return [
        Check(
            "credit",
            _("第八条（七）"),
            _("社会信用良好，无违法、失信及乱办班、乱收费、乱发证记录"),
            not problems,
            _reasons(problems),
            Section.CREDIT,
        )
    ]


# The checklist's order, as the applicant sees it in step 7.
CLAUSES = [
    check_legal_person,
    check_application_form,
    check_staff,
    check_management,
    check_resources,
    check_remote_education,
    check_scale,
    check_credit,
]


def article8_checklist(application) -> list[Check]:
    """Return every Article 8 condition of the application as met or not met, with the reason."""
    attached = _current_kinds(application)
    return [check for clause in CLAUSES for check in clause(application, attached)]


def unmet(application) -> list[Check]:
    return [c for c in article8_checklist(application) if not c.met]


def bar_reason(institution) -> str | None:
    """R-15 (Art. 24): why the institution may not apply, or None."""

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

    return Base.objects.filter(
        institution=institution, level__in=[Level.MUNICIPAL, Level.INDUSTRY], status=Base.Status.ACTIVE
    ).exists()
