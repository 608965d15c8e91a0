"""Demo organizations and accounts for `seed_demo` (DEBUG only). Every name here is fictional."""

from stdnum.cn import uscc

from .models import Membership, Organization, Region, Role, User

DEMO_PASSWORD = "Demo#2026pass"  # noqa: S105  (documented in the README; seed_demo refuses to run without DEBUG)

PROVINCIAL_HR = "四川省人力资源和社会保障厅"
HEALTH_COMMISSION = "四川省卫生健康委员会"
HOUSING_DEPARTMENT = "四川省住房和城乡建设厅"
EXPERT_POOL = "四川省继续教育基地评审专家库"
WUHOU_HR = "成都市武侯区人力资源和社会保障局"


def credit_code(body17: str) -> str:
    """Complete a 17-character body with its GB 32100 check character."""
    return body17 + uscc.calc_check_digit(body17)


INSTITUTIONS = [
    # key, name, region code, institution type, credit-code body (fictional)
    ("inst1", "蓉城示范职业技术学院（演示）", "510107", "university", "12510000MB0000001"),
    ("inst2", "锦江现代产业研究院（演示）", "510104", "research_institute", "52510100MJ0000002"),
    ("inst3", "涪江工程技术培训中心（演示）", "510703", "enterprise_training", "91510700MA0000003"),
]

ACCOUNTS = [
    # username, full name, organization key, roles
    ("admin_sc", "省厅系统管理员", "provincial", [Role.PROVINCIAL_ADMIN, Role.AUTHORITY_ADMIN]),
    # 三权分立: the system (admin_sc), security and audit administrators are three people.
    ("sec_admin", "省厅安全管理员", "provincial", [Role.SECURITY_ADMIN]),
    ("audit_admin", "省厅审计管理员", "provincial", [Role.AUDIT_ADMIN]),
    ("sc_reviewer", "省厅审核员", "provincial", [Role.AUTHORITY_REVIEWER]),
    ("sc_approver", "省厅审批人", "provincial", [Role.AUTHORITY_APPROVER]),
    ("cd_admin", "成都市人社局管理员", "510100", [Role.AUTHORITY_ADMIN]),
    ("cd_reviewer", "成都市人社局审核员", "510100", [Role.AUTHORITY_REVIEWER]),
    ("cd_approver", "成都市人社局审批人", "510100", [Role.AUTHORITY_APPROVER]),
    ("my_reviewer", "绵阳市人社局审核员", "510700", [Role.AUTHORITY_REVIEWER]),
    ("my_approver", "绵阳市人社局审批人", "510700", [Role.AUTHORITY_APPROVER]),
    # A county HR department (R-01: county bases are recognised by it) with its own staff.
    ("wh_admin", "武侯区人社局管理员", "wuhou", [Role.AUTHORITY_ADMIN]),
    ("wh_reviewer", "武侯区人社局审核员", "wuhou", [Role.AUTHORITY_REVIEWER]),
    ("health_reviewer", "卫健委审核员", "health", [Role.AUTHORITY_REVIEWER]),
    ("health_approver", "卫健委审批人", "health", [Role.AUTHORITY_APPROVER]),
    ("expert1", "专家甲", "experts", [Role.EXPERT]),
    ("expert2", "专家乙", "experts", [Role.EXPERT]),
    ("expert3", "专家丙", "experts", [Role.EXPERT]),
    ("expert4", "专家丁", "experts", [Role.EXPERT]),
    ("inst1_admin", "蓉城学院管理员", "inst1", [Role.INSTITUTION_ADMIN]),
    ("inst1_operator", "蓉城学院基地经办人", "inst1", [Role.BASE_OPERATOR]),
    ("inst1_host", "蓉城学院建设单位审核人", "inst1", [Role.HOST_REVIEWER]),
    ("inst2_admin", "锦江研究院管理员", "inst2", [Role.INSTITUTION_ADMIN]),
    ("inst2_operator", "锦江研究院基地经办人", "inst2", [Role.BASE_OPERATOR]),
    ("inst3_admin", "涪江培训中心管理员", "inst3", [Role.INSTITUTION_ADMIN]),
    ("inst3_operator", "涪江培训中心基地经办人", "inst3", [Role.BASE_OPERATOR]),
]

# One account to try per role, for the table `seed_demo` and `make run` print (the README lists them all).
TRY_ACCOUNTS = [
    ("provincial administrator (省级系统管理员)", "admin_sc"),
    ("provincial reviewer / approver (省厅审核、审批)", "sc_reviewer, sc_approver"),
    ("municipal HR (市人社局)", "cd_admin, cd_reviewer, cd_approver"),
    ("county HR (区县人社局)", "wh_admin, wh_reviewer"),
    ("expert (评审专家)", "expert1"),
    ("institution admin (机构管理员)", "inst1_admin"),
    ("base operator (基地经办人)", "inst1_operator"),
    ("host-unit reviewer (建设单位审核人)", "inst1_host"),
    ("security / audit administrator (安全、审计管理员)", "sec_admin, audit_admin"),
]


def demo_accounts_table() -> str:
    """Return the short table of demo accounts to try, one row per role, with the shared password."""
    width = max(len(role) for role, _names in TRY_ACCOUNTS)
    rows = [f"  {role.ljust(width)}  {names}" for role, names in TRY_ACCOUNTS]
    from .demo_two_factor import DEMO_TOTP_SECRET

    second_step = f"Staff accounts also ask for a code: oathtool --totp -b {DEMO_TOTP_SECRET} (or an authenticator app)."
    return "\n".join(["Demo accounts (password " + DEMO_PASSWORD + "):", *rows, second_step])


def _org(name, kind, region_code, parent=None, **extra):
    org, _created = Organization.objects.get_or_create(
        kind=kind, name=name, defaults={"region_id": region_code, "parent": parent, **extra}
    )
    return org


def seed(*, stdout=None, context=None):
    """Create the demo organizations and accounts; return a dict of organizations by key."""
    province = _org(PROVINCIAL_HR, Organization.Kind.PROVINCIAL_HR, "510000")
    orgs = {"provincial": province}
    for prefecture in Region.objects.filter(level=Region.Level.PREFECTURE):
        suffix = "人力资源和社会保障局"
        orgs[prefecture.code] = _org(
            f"{prefecture.name}{suffix}", Organization.Kind.MUNICIPAL_HR, prefecture.code, parent=province
        )
    orgs["wuhou"] = _org(WUHOU_HR, Organization.Kind.COUNTY_HR, "510107", parent=orgs.get("510100"))
    orgs["health"] = _org(HEALTH_COMMISSION, Organization.Kind.INDUSTRY_AUTHORITY, "510000")
    orgs["housing"] = _org(HOUSING_DEPARTMENT, Organization.Kind.INDUSTRY_AUTHORITY, "510000")
    orgs["experts"] = _org(EXPERT_POOL, Organization.Kind.EXPERT_POOL, "510000", parent=province)
    for key, name, region, itype, body in INSTITUTIONS:
        orgs[key] = _org(
            name,
            Organization.Kind.INSTITUTION,
            region,
            credit_code=credit_code(body),
            institution_type=itype,
            address=f"{Region.objects.get(pk=region).name}演示路 {len(key)} 号",
        )
    created = 0
    for username, full_name, org_key, roles in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@demo.ce-base.sc.example",
            )
            created += 1
        for role in roles:
            Membership.objects.get_or_create(user=user, organization=orgs[org_key], role=role)
    _pending_registration()
    if stdout:
        stdout.write(f"accounts: {len(ACCOUNTS)} demo accounts ({created} new), password {DEMO_PASSWORD}")
    return orgs


# A self-registration for cd_admin or cd_reviewer (or admin_sc) to confirm or refuse; inst4_admin can sign in.
PENDING_REGISTRATION = {
    "name": "天府数字技能培训学校（演示）",
    "credit_code": credit_code("52510104MJ0000004"),
    "institution_type": Organization.InstitutionType.TRAINING_INSTITUTION,
    "region_code": "510104",
    "address": "锦江区演示路 4 号",
    "username": "inst4_admin",
    "full_name": "天府培训学校管理员",
    "phone": "028-00000004",
}


def _pending_registration():
    from .services import institution_register

    data = PENDING_REGISTRATION
    if Organization.objects.filter(credit_code=data["credit_code"]).exists():
        return
    institution_register(
        name=data["name"],
        credit_code=data["credit_code"],
        institution_type=data["institution_type"],
        region=Region.objects.get(pk=data["region_code"]),
        address=data["address"],
        username=data["username"],
        password=DEMO_PASSWORD,
        full_name=data["full_name"],
        email=f"{data['username']}@demo.ce-base.sc.example",
        phone=data["phone"],
    )
