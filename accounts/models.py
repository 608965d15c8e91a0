"""Users, organizations, their memberships and the regions of Sichuan."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .identifiers import validate_credit_code


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Password policy (accounts/passwords.py): when the password was last set, and whether the next sign-in must
    # change it first (an administrator set it, so they know it).
    password_changed_at = models.DateTimeField(_("密码设置时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class PasswordHistory(models.Model):
    """A password a user has had (its hash only): no reuse of the last few (accounts.passwords)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_idx")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class Region(models.Model):
    """An administrative division of Sichuan (GB/T 2260). Never deleted once referenced."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        PREFECTURE = "prefecture", _("市（州）")
        COUNTY = "county", _("县（市、区）")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Preference flags of Art. 15: policy changes them, so they are data, not code.
    is_old_revolutionary_area = models.BooleanField(_("革命老区"), default=False)
    is_ethnic_area = models.BooleanField(_("民族地区"), default=False)
    is_remote_area = models.BooleanField(_("边远地区"), default=False)
    is_less_developed_area = models.BooleanField(_("欠发达地区"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^51[0-9]{4}$"), name="region_code_sichuan"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def prefecture(self):
        """Return the prefecture this region belongs to (itself for a prefecture, None for the province)."""
        if self.level == self.Level.PREFECTURE:
            return self
        if self.level == self.Level.COUNTY:
            return self.parent
        return None

    @property
    def preference_labels(self):
        flags = [
            (self.is_old_revolutionary_area, _("革命老区")),
            (self.is_ethnic_area, _("民族地区")),
            (self.is_remote_area, _("边远地区")),
            (self.is_less_developed_area, _("欠发达地区")),
        ]
        return [label for on, label in flags if on]


class Organization(models.Model):
    """An authority, an institution (施教机构) or the expert pool."""

    class Kind(models.TextChoices):
        PROVINCIAL_HR = "provincial_hr", _("省人力资源社会保障厅")
        MUNICIPAL_HR = "municipal_hr", _("市（州）人社部门")
        COUNTY_HR = "county_hr", _("县级人社部门")
        INDUSTRY_AUTHORITY = "industry_authority", _("行业主管部门")
        INSTITUTION = "institution", _("施教机构")
        EXPERT_POOL = "expert_pool", _("专家库")

    AUTHORITY_KINDS = (Kind.PROVINCIAL_HR, Kind.MUNICIPAL_HR, Kind.COUNTY_HR, Kind.INDUSTRY_AUTHORITY)

    class InstitutionType(models.TextChoices):
        # R-05 (Art. 9): the institution types that may apply.
        UNIVERSITY = "university", _("高等院校")
        RESEARCH_INSTITUTE = "research_institute", _("科研院所")
        TRAINING_INSTITUTION = "training_institution", _("地方、部门或行业教育培训机构")
        ASSOCIATION = "association", _("专业协会（学会）")
        ENTERPRISE_TRAINING = "enterprise_training", _("大中型企业培训机构")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class RegistrationState(models.TextChoices):
        # A self-registered institution waits for its authority to confirm that it is who it says it is;
        # every other organization is created by an administrator or an import and starts confirmed.
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REFUSED = "refused", _("未通过")

    # Unique among registrations that were not refused (see Meta): a refused registration releases its code,
    # so an impostor's refused claim never locks the real institution out.
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    institution_type = models.CharField(
        _("机构类型"), max_length=24, choices=InstitutionType.choices, blank=True
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    registration_state = models.CharField(
        _("注册状态"),
        max_length=10,
        choices=RegistrationState.choices,
        default=RegistrationState.CONFIRMED,
    )
    registration_reason = models.TextField(_("注册审核意见"), blank=True)
    registration_decided_at = models.DateTimeField(_("注册确认时间"), null=True, blank=True)
    registration_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("注册确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="institution") | models.Q(credit_code__isnull=False),
                name="institution_has_credit_code",
            ),
            models.UniqueConstraint(
                fields=["kind", "name"],
                condition=~models.Q(registration_state="refused"),
                name="organization_kind_name_unique",
                violation_error_message=_("同类机构中已有该名称。"),
            ),
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(registration_state="refused"),
                name="organization_credit_code_unique",
                violation_error_message=_("该统一社会信用代码已注册。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(registration_state="refused") | ~models.Q(registration_reason=""),
                name="organization_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_authority(self):
        return self.kind in self.AUTHORITY_KINDS

    @property
    def is_provincial_hr(self):
        return self.kind == self.Kind.PROVINCIAL_HR

    @property
    def is_institution(self):
        return self.kind == self.Kind.INSTITUTION

    @property
    def is_registration_confirmed(self):
        return self.registration_state == self.RegistrationState.CONFIRMED


class Role(models.TextChoices):
    """The roles of DESIGN.md. Which organization kinds allow which roles is in ROLES_BY_KIND."""

    INSTITUTION_ADMIN = "institution_admin", _("机构管理员")
    BASE_OPERATOR = "base_operator", _("基地经办人")
    HOST_REVIEWER = "host_reviewer", _("建设单位审核人")
    AUTHORITY_REVIEWER = "authority_reviewer", _("审核员")
    AUTHORITY_APPROVER = "authority_approver", _("审批人")
    AUTHORITY_ADMIN = "authority_admin", _("部门管理员")
    EXPERT = "expert", _("评审专家")
    # 三权分立 (GB/T 22239-2019 8.1.4.2): the system, security and audit administrators are three people.
    # The provincial administrator is the system administrator; accounts/admin_roles.py keeps them apart.
    PROVINCIAL_ADMIN = "provincial_admin", _("省级系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


INSTITUTION_ROLES = (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR, Role.HOST_REVIEWER)
AUTHORITY_ROLES = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, Role.AUTHORITY_ADMIN)
# No account holds two of these (a partial unique index on Membership, and accounts.admin_roles).
ADMIN_DUTY_ROLES = (Role.PROVINCIAL_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

ROLES_BY_KIND = {
    Organization.Kind.PROVINCIAL_HR: (*AUTHORITY_ROLES, *ADMIN_DUTY_ROLES),
    Organization.Kind.MUNICIPAL_HR: AUTHORITY_ROLES,
    Organization.Kind.COUNTY_HR: AUTHORITY_ROLES,
    Organization.Kind.INDUSTRY_AUTHORITY: AUTHORITY_ROLES,
    Organization.Kind.INSTITUTION: INSTITUTION_ROLES,
    Organization.Kind.EXPERT_POOL: (Role.EXPERT,),
}


class Membership(models.Model):
    """A user's role in one organization. A user may hold several roles."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("成员角色")
        verbose_name_plural = _("成员角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role__in=[r.value for r in ADMIN_DUTY_ROLES]),
                name="membership_one_admin_duty",
                violation_error_message=_("系统管理员、安全管理员、审计管理员须由不同账户担任。"),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


class TwoFactorPolicy(models.Model):
    """An HR department's rule that the institutions in its region sign in with two factors (等保 2.0).

    The region decides which institutions an HR department oversees here: the provincial department all of
    them, a municipal one those of its prefecture, a county one those of its county.
    """

    authority = models.OneToOneField(
        Organization,
        verbose_name=_("主管部门"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="two_factor_policy",
    )
    require_institutions = models.BooleanField(_("要求辖区施教机构启用双因素认证"), default=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("双因素认证要求")
        verbose_name_plural = _("双因素认证要求")

    def __str__(self):
        return f"{self.authority} · {self.require_institutions}"
