"""The review records of Art. 10's 论证 and 评审: the expert pool's profiles, the recorded random draws of experts,
and the panel's dated meetings with their resolutions (R-16)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PanelMeeting(models.Model):
    """A dated meeting of a batch's review panel (评审会, Art. 10's 评审) that resolves on its applications."""

    batch = models.ForeignKey(
        "applications.Batch",
        verbose_name=_("申报批次"),
        on_delete=models.PROTECT,
        related_name="panel_meetings",
    )
    held_on = models.DateField(_("评审会日期"))
    members = models.CharField(_("评审组成员"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审会")
        verbose_name_plural = _("评审会")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.batch} · {self.held_on}"


class PanelResolution(models.Model):
    """The panel's resolution on one application (通过 / 不通过 with the votes); the approver decides from it."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="resolutions")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="panel_resolutions"
    )
    passed = models.BooleanField(_("评审结论：通过"))
    votes_for = models.PositiveSmallIntegerField(_("赞成票"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("反对票"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权票"), default=0)
    remarks = models.TextField(_("评审意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审结论")
        verbose_name_plural = _("评审结论")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.application} · {'passed' if self.passed else 'failed'}"


class ExpertProfile(models.Model):
    """What the draw and the reviewers know of an expert of a pool (论证): fields, title, employer, prefecture,
    availability. The past assignments and scores are the expert's `ExpertAssignment` rows."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    fields = models.JSONField(_("专业领域"), default=list, blank=True)
    title = models.CharField(_("职称"), max_length=60, blank=True)
    employer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("工作单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer_name = models.CharField(_("工作单位（未在平台注册时填写）"), max_length=120, blank=True)
    region = models.ForeignKey(
        "accounts.Region",
        verbose_name=_("所在市（州）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    available = models.BooleanField(_("可参加评审"), default=True)
    unavailable_note = models.CharField(_("不可参加评审的原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("专家信息")
        verbose_name_plural = _("专家信息")

    def __str__(self):
        return str(self.user)

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name


class ExpertDraw(models.Model):
    """A random draw of experts for an application, recorded so that it can be re-run: the seed, the ordered
    candidate list (after the exclusions) and the experts drawn. A replacement draw names the assignment it
    replaces."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="expert_draws"
    )
    seed = models.BigIntegerField(_("随机种子"))
    count = models.PositiveSmallIntegerField(_("抽取人数"))
    candidates = models.JSONField(_("候选专家"), default=list)
    excluded = models.JSONField(_("回避的专家"), default=dict)
    drawn = models.JSONField(_("抽中的专家"), default=list)
    replaces = models.ForeignKey(
        "applications.ExpertAssignment",
        verbose_name=_("替换的评审任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        ordering = ["drawn_at", "id"]

    def __str__(self):
        return f"{self.application} · {self.seed}"
