"""Recognised bases, the public notices about them, and their filing with the provincial HR department."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """R-01: the level of a base or a batch. National bases count as provincial (R-36)."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市（州）级")
    COUNTY = "county", _("县级")
    INDUSTRY = "industry", _("行业性")


# Short marks used in certificate numbers, e.g. 川继基省〔2026〕003号.
LEVEL_MARK = {
    Level.NATIONAL: "国",
    Level.PROVINCIAL: "省",
    Level.MUNICIPAL: "市",
    Level.COUNTY: "县",
    Level.INDUSTRY: "行",
}


class BaseQuerySet(models.QuerySet):
    def not_revoked(self):
        """Bases still recognised: active or under rectification."""
        return self.exclude(status=Base.Status.REVOKED)


class Base(models.Model):
    """A recognised continuing-education base (R-18)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        RECTIFICATION = "rectification", _("整改中")
        REVOKED = "revoked", _("已撤销")

    name = models.CharField(_("基地名称"), max_length=120)
    institution = models.ForeignKey(
        "accounts.Organization", verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="bases"
    )
    approving_authority = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("批准部门"),
        on_delete=models.PROTECT,
        related_name="approved_bases",
    )
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    # The prefecture of the region, kept for filtering and counting by city without a join.
    prefecture = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("所在市（州）"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fields = models.JSONField(_("培训领域"), default=list)
    # "、field1、field2、": exact-field filtering that works on SQLite and PostgreSQL alike.
    fields_text = models.CharField(max_length=500, blank=True, editable=False)
    # Name, institution, fields and region in one column for the public substring search.
    search_text = models.TextField(blank=True, editable=False)
    certificate_no = models.CharField(_("证书编号"), max_length=60, unique=True)
    certificate_year = models.PositiveIntegerField(_("证书年度"))
    # Numbers issued by the portal have a sequence; imported bases keep the number they were given.
    certificate_seq = models.PositiveIntegerField(_("证书序号"), null=True, blank=True)
    recognised_on = models.DateField(_("认定日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    platform_name = models.CharField(_("网络培训平台名称"), max_length=120, blank=True)
    platform_url = models.URLField(_("网络培训平台网址"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_imported = models.BooleanField(_("系统上线前已认定"), default=False)
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("来源申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="base",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = BaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("继续教育基地")
        verbose_name_plural = _("继续教育基地")
        ordering = ["-recognised_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "certificate_year", "certificate_seq"], name="base_certificate_seq_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"], name="base_status_level_idx"),
            models.Index(fields=["status", "prefecture"], name="base_status_prefecture_idx"),
            models.Index(fields=["status", "-recognised_on", "id"], name="base_status_recognised_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def counts_as_provincial(self):
        """R-36: national bases located in Sichuan count as provincial for every policy."""
        return self.level in (Level.NATIONAL, Level.PROVINCIAL)


class Partner(models.Model):
    """R-21: industry partners (Art. 18) and online learning centres (Art. 19) on a base's profile."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("产学研合作单位")
        LEARNING_CENTRE = "learning_centre", _("网络学习中心")

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=120)
    description = models.CharField(_("合作内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class FeeStandard(models.Model):
    """R-33 (Art. 32): a published fee of the base; raising it needs approval."""

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="fees")
    item = models.CharField(_("收费项目"), max_length=100)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("计费单位"), max_length=20, default="人")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")
        ordering = ["id"]

    def __str__(self):
        return f"{self.item} {self.amount}/{self.unit}"


class BaseVersion(models.Model):
    """A version of a base's public facts and who approved it: recognition, import, each approved change."""

    class Source(models.TextChoices):
        RECOGNITION = "recognition", _("认定")
        IMPORT = "import", _("导入")
        CHANGE = "change", _("变更")

    base = models.ForeignKey(Base, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    facts = models.JSONField(_("公开信息"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    change_request = models.ForeignKey(
        "ChangeRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("基地信息版本")
        verbose_name_plural = _("基地信息版本")
        ordering = ["base", "number"]
        constraints = [models.UniqueConstraint(fields=["base", "number"], name="base_version_unique")]

    def __str__(self):
        return f"{self.base} v{self.number}"


class ChangeRequest(models.Model):
    """R-34: a change of a base's key facts, approved by the approving authority, published and filed."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待审批")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    base = models.ForeignKey(
        Base, verbose_name=_("基地"), on_delete=models.PROTECT, related_name="change_requests"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    proposed = models.JSONField(_("拟变更内容"))
    reasons = models.TextField(_("变更理由"))
    fee_increase = models.BooleanField(_("涉及提高收费标准"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("基地变更申请")
        verbose_name_plural = _("基地变更申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per base at a time, so approvals never overwrite each other.
            models.UniqueConstraint(
                fields=["base"],
                condition=models.Q(state__in=["submitted", "returned"]),
                name="change_request_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.base} · {self.get_state_display()}"


def evidence_path(instance, filename):
    return f"bases/{instance.owner_key()}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A document attached to a change request or a misconduct report (type checked by content)."""

    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    report = models.ForeignKey(
        "MisconductReport", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(change_request__isnull=False) | models.Q(report__isnull=False),
                name="evidence_has_owner",
            )
        ]

    def __str__(self):
        return self.original_name

    def owner_key(self):
        return f"changes/{self.change_request_id}" if self.change_request_id else f"reports/{self.report_id}"


class MisconductReport(models.Model):
    """R-29 (Art. 25): a public report of forbidden conduct, triaged by the approving authority."""

    class Category(models.TextChoices):
        FRAUDULENT_RECRUITING = "fraudulent_recruiting", _("弄虚作假、欺诈招揽生源")
        TOURISM = "tourism", _("以继续教育名义组织旅游或无关活动")
        FEES_WITHOUT_TRAINING = "fees_without_training", _("乱收费或只收费不培训")
        SHAM_EXAMS = "sham_exams", _("考试考核流于形式")
        OTHER = "other", _("其他违法违规行为")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DISMISSED = "dismissed", _("不予立案")
        SPOT_CHECK = "spot_check", _("已转抽查")

    base = models.ForeignKey(
        Base, verbose_name=_("被举报基地"), on_delete=models.PROTECT, related_name="reports"
    )
    category = models.CharField(_("举报类别"), max_length=24, choices=Category.choices)
    description = models.TextField(_("举报内容"))
    reporter_name = models.CharField(_("举报人姓名"), max_length=60)
    reporter_phone = models.CharField(_("举报人电话"), max_length=30)
    receipt_code = models.CharField(_("回执码"), max_length=16, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    outcome = models.TextField(_("处理结果"), blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("违规举报")
        verbose_name_plural = _("违规举报")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.base} · {self.get_category_display()}"


class Notice(models.Model):
    """A published notice (公告): publicity, recognition, changes, and registrations of existing bases."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("认定公示")
        RECOGNITION = "recognition", _("认定公布")
        CHANGE = "change", _("变更公告")
        REGISTRATION = "registration", _("既有基地登记")
        INSPECTION = "inspection", _("检查考核结果")
        ASSESSMENT = "assessment", _("动态评估结果")
        REVOCATION = "revocation", _("撤销基地资格")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    authority = models.ForeignKey(
        "accounts.Organization", verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="notices"
    )
    base = models.ForeignKey(
        Base, verbose_name=_("基地"), null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # A notice about several bases (a registration list, later an inspection round) appears on each timeline.
    listed_bases = models.ManyToManyField(
        Base, verbose_name=_("涉及基地"), blank=True, related_name="listed_in_notices"
    )
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    # For a publicity notice: the last day objections are accepted.
    open_until = models.DateField(_("公示截止日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return self.title


class Filing(models.Model):
    """R-03, R-34: a recognition by another authority, and every approved change, is filed (备案) with the
    provincial HR department."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("认定备案")
        CHANGE = "change", _("变更备案")

    base = models.ForeignKey(Base, verbose_name=_("基地"), on_delete=models.PROTECT, related_name="filings")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.RECOGNITION)
    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        "accounts.Organization", verbose_name=_("报备部门"), on_delete=models.PROTECT, related_name="+"
    )
    filed_with = models.ForeignKey(
        "accounts.Organization", verbose_name=_("备案部门"), on_delete=models.PROTECT, related_name="filings"
    )
    filed_at = models.DateTimeField(_("备案时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("基地备案")
        verbose_name_plural = _("基地备案")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.base} → {self.filed_with}"


class InstitutionBar(models.Model):
    """R-15 (Art. 24): an institution that faked an application or whose base was revoked may not apply again."""

    class Reason(models.TextChoices):
        FAKED_APPLICATION = "faked_application", _("申请过程中弄虚作假")
        BASE_REVOKED = "base_revoked", _("被取消继续教育基地资格")

    institution = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="bars")
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("不予受理记录")
        verbose_name_plural = _("不予受理记录")

    def __str__(self):
        return f"{self.institution} · {self.get_reason_display()}"


# The public facts of a base that a change request may change, besides partners and fees.
FACT_FIELDS = [
    "name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "platform_name",
    "platform_url",
]
