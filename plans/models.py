"""Annual plans (R-22), their items, training classes under filed plans (R-23) and quality evaluations (R-24)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceForm(models.TextChoices):
    """R-19 (Art. 14): the forms in which a base provides continuing education."""

    MAJOR_PROGRAMME = "major_programme", _("承办重大专项工程项目")
    COMMISSIONED_CLASS = "commissioned_class", _("委托培训班、研修班、进修班")
    PROFESSIONAL_SUBJECT = "professional_subject", _("专业科目培训与考核")
    RESEARCH = "research", _("理论研究与课程开发")
    EXCHANGE = "exchange", _("继续教育交流活动")


class SubjectKind(models.TextChoices):
    GENERAL = "general", _("公需科目")
    PROFESSIONAL = "professional", _("专业科目")


class Mode(models.TextChoices):
    ONLINE = "online", _("线上")
    IN_PERSON = "in_person", _("线下")
    BLENDED = "blended", _("线上线下结合")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    HOST_REVIEW = "host_review", _("建设单位审核中")
    SUBMITTED = "submitted", _("已报送")
    FILED = "filed", _("已备案")
    RETURNED = "returned", _("已退回")


class AnnualPlan(models.Model):
    """A base's training plan for one year, with last year's execution summary (Art. 20); or an amendment."""

    State = PlanState

    class Kind(models.TextChoices):
        PLAN = "plan", _("年度计划")
        AMENDMENT = "amendment", _("计划调整")

    base = models.ForeignKey(
        "bases.Base", verbose_name=_("基地"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("计划年度"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.PLAN)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("调整的计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Sticky: a plan first submitted to the authority after the deadline stays late.
    is_late = models.BooleanField(_("逾期报送"), default=False)
    summary_narrative = models.TextField(_("上年度计划执行情况总结"), blank=True)
    amendment_reason = models.TextField(_("调整理由"), blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    host_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建设单位审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("备案人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_comment = models.TextField(_("最近意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "base_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "year"], condition=models.Q(kind="plan"), name="plan_one_per_base_year"
            ),
            models.UniqueConstraint(
                fields=["amends"],
                condition=models.Q(state__in=["draft", "host_review", "submitted", "returned"]),
                name="plan_one_open_amendment",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="plan", amends__isnull=True)
                | models.Q(kind="amendment", amends__isnull=False),
                name="plan_amendment_has_plan",
            ),
        ]

    def __str__(self):
        label = _("年度计划") if self.kind == self.Kind.PLAN else _("计划调整")
        return f"{self.base} {self.year} {label}"

    @property
    def is_editable(self):
        return self.state in (PlanState.DRAFT, PlanState.RETURNED)


class PlanItem(models.Model):
    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    service_form = models.CharField(_("服务形式"), max_length=24, choices=ServiceForm.choices)
    title = models.CharField(_("项目名称"), max_length=150)
    field = models.CharField(_("领域"), max_length=60)
    subject_kind = models.CharField(_("科目类别"), max_length=12, choices=SubjectKind.choices)
    mode = models.CharField(_("培训方式"), max_length=10, choices=Mode.choices)
    planned_classes = models.PositiveIntegerField(_("计划班次"))
    planned_trainees = models.PositiveIntegerField(_("计划培训人数"))
    hours_per_trainee = models.DecimalField(_("人均学时"), max_digits=5, decimal_places=1)
    fee_per_trainee = models.DecimalField(_("人均收费（元）"), max_digits=10, decimal_places=2, default=0)
    public_interest = models.BooleanField(_("公益性培训"), default=False)
    preference_regions = models.ManyToManyField(
        "accounts.Region", verbose_name=_("倾斜服务地区"), blank=True, related_name="+"
    )
    partner = models.CharField(_("合作单位"), max_length=120, blank=True)
    # An amendment's item that continues an item of the original plan (for planned-versus-actual).
    continues = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("计划项目")
        verbose_name_plural = _("计划项目")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_trainee__gt=0), name="plan_item_hours_positive"
            ),
        ]

    def __str__(self):
        return self.title


class TrainingClass(models.Model):
    """A class run under an item of a filed plan of its year (R-23)."""

    class Status(models.TextChoices):
        OPEN = "open", _("报名中")
        RUNNING = "running", _("进行中")
        COMPLETED = "completed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("计划项目"), on_delete=models.PROTECT, related_name="classes"
    )
    base = models.ForeignKey(
        "bases.Base", verbose_name=_("基地"), on_delete=models.PROTECT, related_name="classes"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("培训班名称"), max_length=150)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    place = models.CharField(_("培训地点"), max_length=200, blank=True)
    online_platform = models.CharField(_("线上平台"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("计划人数"))
    fee = models.DecimalField(_("人均收费（元）"), max_digits=10, decimal_places=2, default=0)
    hours_per_trainee = models.DecimalField(_("人均学时"), max_digits=5, decimal_places=1)
    subject_kind = models.CharField(_("科目类别"), max_length=12, choices=SubjectKind.choices)
    # a class that mixes both kinds says how many of its hours are general; the rest are of subject_kind.
    general_hours = models.DecimalField(
        _("其中公需科目学时"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("仅当培训班同时包含公需科目和专业科目时填写；其余学时计为专业科目。"),
    )
    teachers = models.CharField(_("授课教师"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    enrolled_count = models.PositiveIntegerField(_("报名人数"), default=0)
    completed_count = models.PositiveIntegerField(_("结业人数"), default=0)
    satisfaction = models.DecimalField(
        _("学员满意度（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    self_assessment = models.TextField(_("课程质量自评"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="class_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_count__lte=models.F("enrolled_count")),
                name="class_completed_le_enrolled",
            ),
            models.CheckConstraint(condition=models.Q(hours_per_trainee__gt=0), name="class_hours_positive"),
        ]

    def __str__(self):
        return self.title

    def hours_for(self, subject: str):
        """Return the most hours a record of `subject` may carry in this class, or None when the class gives
        none of that kind (R-35: a general record in a professional class would game the two-thirds rule)."""
        if self.general_hours is None:
            return self.hours_per_trainee if subject == self.subject_kind else None
        part = (
            self.general_hours
            if subject == SubjectKind.GENERAL
            else self.hours_per_trainee - self.general_hours
        )
        return part if part > 0 else None


class YearlyEvaluation(models.Model):
    """The base's overall quality evaluation of a year (Art. 21, R-24)."""

    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="yearly_evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    evaluation = models.TextField(_("培训综合质量评估"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度综合质量评估")
        verbose_name_plural = _("年度综合质量评估")
        constraints = [models.UniqueConstraint(fields=["base", "year"], name="yearly_evaluation_unique")]

    def __str__(self):
        return f"{self.base} {self.year}"


# What the base fills in for each training item of a plan (the item form and the item service read it).
ITEM_FIELDS = [
    "service_form",
    "title",
    "field",
    "subject_kind",
    "mode",
    "planned_classes",
    "planned_trainees",
    "hours_per_trainee",
    "fee_per_trainee",
    "public_interest",
    "partner",
]


# What the base fills in to open a training class (the class form and the class service read it).
CLASS_FIELDS = [
    "title",
    "starts_on",
    "ends_on",
    "place",
    "online_platform",
    "capacity",
    "fee",
    "hours_per_trainee",
    "subject_kind",
    "general_hours",
    "teachers",
]
