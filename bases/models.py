"""Recognised bases, the public notices about them, and their filing with the provincial HR department."""

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
    fields = models.JSONField(_("培训领域"), default=list)
    certificate_no = models.CharField(_("证书编号"), max_length=40, unique=True)
    certificate_year = models.PositiveIntegerField(_("证书年度"))
    certificate_seq = models.PositiveIntegerField(_("证书序号"))
    recognised_on = models.DateField(_("认定日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    platform_name = models.CharField(_("网络培训平台名称"), max_length=120, blank=True)
    platform_url = models.URLField(_("网络培训平台网址"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("来源申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="base",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("继续教育基地")
        verbose_name_plural = _("继续教育基地")
        ordering = ["-recognised_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "certificate_year", "certificate_seq"], name="base_certificate_seq_unique"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def counts_as_provincial(self):
        return self.level in (Level.NATIONAL, Level.PROVINCIAL)


class Notice(models.Model):
    """A published notice (公告): publicity, recognition, and later changes, inspections, revocations."""

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("认定公示")
        RECOGNITION = "recognition", _("认定公布")

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
    """R-03: a non-provincial base recognised by another authority is filed (备案) with the provincial HR
    department."""

    base = models.OneToOneField(Base, verbose_name=_("基地"), on_delete=models.PROTECT, related_name="filing")
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
