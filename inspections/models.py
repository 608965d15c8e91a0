"""Inspections and spot checks (R-25, R-26), dynamic assessment (R-27), rectification and revocation (R-27, R-28)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# R-26 (Art. 22): the nine inspection items, in the regulation's order.
ITEMS = [
    ("teaching_staff", _("师资队伍建设情况")),
    ("facilities", _("设施配套情况")),
    ("rules", _("制度执行情况")),
    ("tasks", _("继续教育任务完成情况")),
    ("annual_plan", _("年度计划执行情况")),
    ("courseware", _("课件更新情况")),
    ("credit", _("信用情况")),
    ("platform", _("公共服务平台建设情况")),
    ("fees", _("继续教育收费标准公开情况")),
]
ITEM_KEYS = [k for k, _label in ITEMS]


class Result(models.TextChoices):
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class InspectionRound(models.Model):
    """A periodic inspection of every active base of a jurisdiction for a year, or a spot check (Art. 22)."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("定期检查")
        SPOT_CHECK = "spot_check", _("不定期抽查")

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        PUBLISHED = "published", _("结果已公布")

    authority = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("检查部门"),
        on_delete=models.PROTECT,
        related_name="inspection_rounds",
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=150)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    # Result thresholds on the average item score (0-100), set by the authority.
    qualified_min = models.PositiveSmallIntegerField(_("合格线"), default=80)
    basic_min = models.PositiveSmallIntegerField(_("基本合格线"), default=60)
    # A reproducible, auditable random draw: the seed and the sorted candidate list are kept.
    draw_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    draw_candidates = models.JSONField(_("候选基地"), default=list, blank=True)
    draw_size = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_notice = models.ForeignKey(
        "bases.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("检查批次")
        verbose_name_plural = _("检查批次")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basic_min__lte=models.F("qualified_min"))
                & models.Q(qualified_min__lte=100),
                name="round_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class Inspection(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("待检查")
        SCORED = "scored", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("检查批次"), on_delete=models.PROTECT, related_name="inspections"
    )
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("基地"), on_delete=models.PROTECT, related_name="inspections"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.PLANNED, db_index=True
    )
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), blank=True, related_name="inspections"
    )
    average = models.DecimalField(_("平均分"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("结论"), max_length=12, choices=Result.choices, blank=True)
    conclusion = models.TextField(_("检查意见"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A spot check caused by a misconduct report.
    report = models.ForeignKey(
        "bases.MisconductReport", null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["round", "base__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "base"], name="inspection_one_per_round_base")
        ]

    def __str__(self):
        return f"{self.round} · {self.base}"


class ItemScore(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.CharField(_("检查项目"), max_length=20, choices=ITEMS)
    score = models.PositiveSmallIntegerField(_("得分（0-100）"))
    notes = models.TextField(_("情况说明"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="item_score_unique"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="item_score_range"),
        ]

    def __str__(self):
        return f"{self.item}: {self.score}"


class SelfAssessment(models.Model):
    """Before a periodic inspection the base may file a self-assessment against the same nine items."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="self_assessments")
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="self_assessments")
    scores = models.JSONField(_("自评分"))
    notes = models.TextField(_("自评说明"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "base"], name="self_assessment_unique")]

    def __str__(self):
        return f"{self.base} {self.round}"


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Assessment(models.Model):
    """The yearly dynamic assessment of a base (R-27): a proposed rating from weighted inputs, confirmed or
    changed with a written reason, then published."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        PUBLISHED = "published", _("已公布")

    base = models.ForeignKey(
        "bases.Base", verbose_name=_("基地"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PROPOSED)
    inputs = models.JSONField(_("评估依据"))
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1)
    proposed_rating = models.CharField(_("建议等次"), max_length=12, choices=Rating.choices)
    rating = models.CharField(_("评估等次"), max_length=12, choices=Rating.choices)
    change_reason = models.TextField(_("调整理由"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("动态评估")
        verbose_name_plural = _("动态评估")
        ordering = ["-year", "base__name"]
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="assessment_one_per_base_year")]

    def __str__(self):
        return f"{self.base} {self.year} {self.get_rating_display()}"


class Rectification(models.Model):
    """A rectification order with a deadline (R-27); failing it leads to revocation (R-28)."""

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        REPLIED = "replied", _("已报送整改情况")
        CLOSED = "closed", _("整改完成")
        REVOCATION_PROPOSED = "revocation_proposed", _("拟撤销资格")
        REVOKED = "revoked", _("已撤销资格")

    base = models.ForeignKey(
        "bases.Base", verbose_name=_("基地"), on_delete=models.PROTECT, related_name="rectifications"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications"
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    items = models.TextField(_("整改事项"))
    deadline = models.DateField(_("整改期限"))
    reply = models.TextField(_("整改情况"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    last_comment = models.TextField(_("最近意见"), blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=False) | models.Q(assessment__isnull=False),
                name="rectification_has_cause",
            ),
        ]

    def __str__(self):
        return f"{self.base} · {self.get_state_display()}"


class RectificationEvidence(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="rectifications/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name
