"""Batches, applications (the online 申报表) and the review records of Article 10 (R-04..R-18)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models import Level

DEFAULT_RUBRIC = [
    {"key": "staff", "label": "师资队伍", "max": 25},
    {"key": "management", "label": "管理机构与制度", "max": 20},
    {"key": "facilities", "label": "设施与经费保障", "max": 15},
    {"key": "remote", "label": "远程教育条件", "max": 15},
    {"key": "scale", "label": "培训规模与成效", "max": 15},
    {"key": "credit", "label": "社会信用", "max": 10},
]


def default_rubric():
    return [dict(item) for item in DEFAULT_RUBRIC]


class Batch(models.Model):
    """A call for applications (申报批次, R-04) opened by an authority with an application window."""

    title = models.CharField(_("批次名称"), max_length=150)
    level = models.CharField(
        _("基地级别"), max_length=12, choices=[c for c in Level.choices if c[0] != Level.NATIONAL]
    )
    approving_authority = models.ForeignKey(
        "accounts.Organization", verbose_name=_("认定部门"), on_delete=models.PROTECT, related_name="batches"
    )
    description = models.TextField(_("说明"), blank=True)
    opens_at = models.DateTimeField(_("申报开始时间"))
    closes_at = models.DateTimeField(_("申报截止时间"))
    requires_recommendation = models.BooleanField(
        _("需市（州）人社部门或行业主管部门推荐"),
        default=False,
        help_text=_("仅适用于省级批次。"),
    )
    publicity_working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    rubric = models.JSONField(_("专家评分细则"), default=default_rubric)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="batch_window"
            ),
            models.CheckConstraint(
                condition=models.Q(publicity_working_days__gte=1) & models.Q(publicity_working_days__lte=30),
                name="batch_publicity_days_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(requires_recommendation=True) | models.Q(level="provincial"),
                name="batch_recommendation_provincial_only",
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def rubric_total(self) -> int:
        return sum(int(item["max"]) for item in self.rubric)


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOMMENDED = "recommended", _("已推荐")
    # Art. 10's order: 审核 → 论证 → 考察 → 评审, then the decision (认定) and publication (公布).
    FORMAL_REVIEW = "formal_review", _("形式审核")
    DEMONSTRATION = "demonstration", _("专家论证")
    SITE_VISIT = "site_visit", _("实地考察")
    PANEL_REVIEW = "panel_review", _("集体评审")
    DECISION = "decision", _("待认定")
    PUBLICITY = "publicity", _("公示中")
    RECOGNISED = "recognised", _("已认定")
    RETURNED = "returned", _("退回补正")
    REJECTED = "rejected", _("不予受理")
    DECLINED = "declined", _("不予认定")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(models.Model):
    """The 申报表 (R-14) of one institution in one batch, and where it stands in the review."""

    State = ApplicationState

    batch = models.ForeignKey(
        Batch, verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="applications"
    )
    institution = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("提交版本"), default=0)
    priority = models.BooleanField(
        _("优先遴选"), default=False, help_text=_("已建有市（州）级或行业性基地，按《办法》第九条优先遴选")
    )
    recommending_authority = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("推荐部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommended_applications",
    )

    # 1. Institution facts and the proposed base.
    institution_type = models.CharField(_("机构类型"), max_length=24, blank=True)
    registered_in_sichuan = models.BooleanField(_("在省内依法登记的独立法人"), default=False)
    training_qualification = models.CharField(_("培训或继续教育相关资质"), max_length=300, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_name = models.CharField(_("拟建基地名称"), max_length=120, blank=True)
    fields = models.JSONField(_("培训领域"), default=list, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    # 3. Management.
    management_organ = models.CharField(_("基地管理机构"), max_length=200, blank=True)
    full_time_managers = models.PositiveIntegerField(_("专职管理人员数"), default=0)

    # 4. Resources and remote education.
    funding_guarantee = models.TextField(_("经费保障"), blank=True)
    classrooms = models.TextField(_("固定教室"), blank=True)
    teaching_equipment = models.TextField(_("教学设备"), blank=True)
    library_resources = models.TextField(_("专业图书资料"), blank=True)
    practical_site = models.TextField(_("实训场所或实训合作单位"), blank=True)
    network_infrastructure = models.TextField(_("网络基础设施与教学设备"), blank=True)
    platform_name = models.CharField(_("网络培训平台名称"), max_length=120, blank=True)
    platform_url = models.URLField(_("网络培训平台网址"), blank=True)
    platform_features = models.TextField(_("平台功能（在线培训、网络互动等）"), blank=True)

    # 5. Scale.
    trainees_year1 = models.PositiveIntegerField(_("前第三年培训人数"), null=True, blank=True)
    trainees_year2 = models.PositiveIntegerField(_("前第二年培训人数"), null=True, blank=True)
    trainees_year3 = models.PositiveIntegerField(_("上一年培训人数"), null=True, blank=True)
    key_fields_served = models.TextField(_("服务的重点领域"), blank=True)

    # 6. Credit.
    credit_declared = models.BooleanField(_("信用承诺"), default=False)
    credit_statement = models.TextField(_("信用情况说明"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("基地申报")
        verbose_name_plural = _("基地申报")
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One live application per institution and batch; finished ones may be followed by a new one.
            models.UniqueConstraint(
                fields=["batch", "institution"],
                condition=~models.Q(state__in=["rejected", "declined", "withdrawn"]),
                name="application_one_live_per_batch",
            ),
        ]

    def __str__(self):
        # A name users read, never an internal id: the proposed base, else the applying institution.
        return self.base_name or _("%(org)s的申报") % {"org": self.institution.name}

    @property
    def level(self):
        return self.batch.level

    @property
    def approving_authority(self):
        return self.batch.approving_authority

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def trainee_years(self):
        year = (self.submitted_at or self.created_at or timezone.now()).year
        return [
            (year - 3, self.trainees_year1),
            (year - 2, self.trainees_year2),
            (year - 1, self.trainees_year3),
        ]


class StaffMember(models.Model):
    """A teacher or staff member listed in the application (R-07): counts are derived from these rows."""

    class Category(models.TextChoices):
        TEACHER = "teacher", _("教师")
        POLICY_RESEARCH = "policy_research", _("政策研究和宣讲人员")
        ONLINE_TECHNICAL = "online_technical", _("线上教学与平台运营技术人员")

    class Employment(models.TextChoices):
        FULL_TIME = "full_time", _("专职")
        PART_TIME = "part_time", _("兼职")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("姓名"), max_length=60)
    title = models.CharField(_("职称"), max_length=60)
    field = models.CharField(_("专业领域"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    employment = models.CharField(_("专兼职"), max_length=10, choices=Employment.choices)

    class Meta:
        verbose_name = _("师资人员")
        verbose_name_plural = _("师资人员")
        ordering = ["category", "employment", "id"]

    def __str__(self):
        return self.name


class AttachmentKind(models.TextChoices):
    # the eight written rules of Art. 8(3), each one attached.
    RULE_TEACHING = "rule_teaching", _("教学组织管理制度")
    RULE_ASSESSMENT = "rule_assessment", _("学员考核管理制度")
    RULE_RESEARCH = "rule_research", _("教学科研管理制度")
    RULE_REGISTRATION = "rule_registration", _("培训登记管理制度")
    RULE_FUNDS = "rule_funds", _("培训经费管理制度")
    RULE_LOGISTICS = "rule_logistics", _("后勤保障管理制度")
    RULE_EVALUATION = "rule_evaluation", _("培训效果考核评估制度")
    RULE_FEEDBACK = "rule_feedback", _("跟踪反馈管理制度")
    CREDIT_EVIDENCE = "credit_evidence", _("信用证明材料")
    QUALIFICATION = "qualification", _("法人登记及培训资质证明")
    OTHER = "other", _("其他材料")
    SITE_VISIT = "site_visit", _("实地考察材料")
    OBJECTION_EVIDENCE = "objection_evidence", _("异议证据")


RULE_KINDS = [k for k in AttachmentKind if k.value.startswith("rule_")]


def attachment_path(instance, filename):
    # The stored name never contains the user's file name: it is random, the original is kept in a column.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("材料类别"), max_length=24, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Replaced documents are kept for the version history, but no longer count.
    is_current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return self.original_name


class ApplicationVersion(models.Model):
    """A frozen copy of the 申报表 at each submission: every version is kept (R-16 return and resubmit)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("申报内容"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_version_unique")
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


class Section(models.TextChoices):
    INSTITUTION = "institution", _("一、机构基本情况")
    STAFF = "staff", _("二、师资队伍")
    MANAGEMENT = "management", _("三、管理机构与制度")
    RESOURCES = "resources", _("四、设施与远程教育")
    SCALE = "scale", _("五、培训规模")
    CREDIT = "credit", _("六、社会信用")


class SectionComment(models.Model):
    """A reviewer's comment on one section when returning an application for correction."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="section_comments")
    version = models.PositiveIntegerField(_("针对版本"))
    section = models.CharField(_("部分"), max_length=16, choices=Section.choices)
    comment = models.TextField(_("补正意见"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version", "section"]

    def __str__(self):
        return f"{self.get_section_display()}: {self.comment[:30]}"


class ExpertAssignment(models.Model):
    """An expert's task on one application: declare conflicts, then score the batch's rubric."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待声明")
        ACCEPTED = "accepted", _("评分中")
        CONFLICT = "conflict", _("回避")
        DECLINED = "declined", _("谢绝参加")
        SUBMITTED = "submitted", _("已提交评分")

    # An expert who recused themselves or declined does not serve: a further draw replaces them.
    NOT_SERVING = (Status.CONFLICT, Status.DECLINED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    due_on = models.DateField(_("评分截止日期"), null=True, blank=True)
    conflict_note = models.TextField(_("回避说明"), blank=True)
    declared_at = models.DateTimeField(_("声明时间"), null=True, blank=True)
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    # How the expert was chosen: drawn at random (the draw records the seed) or by hand, with the reason.
    drawn = models.BooleanField(_("随机抽取"), default=False)
    choice_reason = models.CharField(_("指定理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("专家评审任务")
        verbose_name_plural = _("专家评审任务")
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_unique_expert"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.application}"


class SiteVisit(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="site_visits")
    visit_date = models.DateField(_("考察日期"))
    members = models.CharField(_("考察组成员"), max_length=300)
    findings = models.TextField(_("考察意见"))
    passed = models.BooleanField(_("考察结论：通过"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("实地考察")
        verbose_name_plural = _("实地考察")
        ordering = ["-visit_date", "-id"]

    def __str__(self):
        return f"{self.application} · {self.visit_date}"


class Decision(models.Model):
    """The decision, frozen with the data it rested on (what was approved can always be shown)."""

    # Several decisions are possible: an approval, then a decline after an upheld objection.
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    approved = models.BooleanField(_("予以认定"))
    reasons = models.TextField(_("决定理由"))
    snapshot = models.JSONField(_("决定所依据的申报内容"))
    version = models.PositiveIntegerField(_("依据版本"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.application} · {'approved' if self.approved else 'declined'}"


class Objection(models.Model):
    """An objection lodged by a member of the public during the publicity period; never anonymous."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=30)
    content = models.TextField(_("异议内容"))
    evidence = models.ForeignKey(
        Attachment, verbose_name=_("证据"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("处理结果"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-lodged_at"]

    def __str__(self):
        return f"{self.application} · {self.name}"


# The 申报表's steps and the fields each one edits: the step forms, the edit service and the snapshot read it.
SECTION_FIELDS = {
    "institution": [
        "institution_type",
        "registered_in_sichuan",
        "training_qualification",
        "legal_representative",
        "address",
        "region",
        "base_name",
        "fields",
        "contact_name",
        "contact_phone",
        "contact_email",
        "recommending_authority",
    ],
    "management": ["management_organ", "full_time_managers"],
    "resources": [
        "funding_guarantee",
        "classrooms",
        "teaching_equipment",
        "library_resources",
        "practical_site",
        "network_infrastructure",
        "platform_name",
        "platform_url",
        "platform_features",
    ],
    "scale": ["trainees_year1", "trainees_year2", "trainees_year3", "key_fields_served"],
    "credit": ["credit_declared", "credit_statement"],
}

# The review records of Art. 10's later stages (the panel, the expert pool) live in their own module.
from .review_models import ExpertDraw, ExpertProfile, PanelMeeting, PanelResolution  # noqa: E402

__all__ = ["ExpertDraw", "ExpertProfile", "PanelMeeting", "PanelResolution"]
