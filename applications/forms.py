from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import RegionChoiceField
from accounts.models import Membership, Organization, Region, Role, User
from kit.forms import SingleLineFieldsMixin, SpecificMessages
from kit.text import colon

from .models import SECTION_FIELDS, Application, AttachmentKind, Section, StaffMember
from .services import APPLICANT_KINDS, recommender_choices


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class BatchForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    authority = forms.ModelChoiceField(label=_("认定部门"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("批次名称"), max_length=150)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_at = forms.DateTimeField(label=_("申报开始时间"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("申报截止时间"), widget=DateTimeInput())
    requires_recommendation = forms.BooleanField(
        label=_("需市（州）人社部门或行业主管部门推荐（仅省级批次）"), required=False
    )
    publicity_working_days = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=1, max_value=30, initial=5
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if authorities.count() == 1:
            self.fields["authority"].initial = authorities.first()


class InstitutionStepForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    region = RegionChoiceField(label=_("所在区县"))
    fields_text = forms.CharField(
        label=_("培训领域"), max_length=400, help_text=_("多个领域用逗号或顿号分隔，如：数字经济、智能制造")
    )

    class Meta:
        model = Application
        # region and fields have form fields of their own (a cascade and free text)
        fields = [f for f in SECTION_FIELDS["institution"] if f not in ("region", "fields")]
        widgets = {
            "institution_type": forms.Select(
                choices=[("", _("请选择")), *Organization.InstitutionType.choices]
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app = self.instance
        self.fields["region"].initial = app.region_id
        self.fields["fields_text"].initial = "、".join(app.fields or [])
        for name in [
            "training_qualification",
            "legal_representative",
            "address",
            "base_name",
            "contact_name",
            "contact_phone",
        ]:
            self.fields[name].required = True
        if app.batch.requires_recommendation:
            self.fields["recommending_authority"].queryset = recommender_choices(app)
            self.fields["recommending_authority"].required = True
        else:
            del self.fields["recommending_authority"]

    def section_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("fields_text",)}
        data["fields"] = self.cleaned_data["fields_text"]
        return data


class ManagementStepForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = SECTION_FIELDS["management"]


class ResourcesStepForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = SECTION_FIELDS["resources"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 2}) for f in fields if f not in ("platform_name", "platform_url")
        }


class ScaleStepForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = SECTION_FIELDS["scale"]
        widgets = {"key_fields_served": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for (year, _n), name in zip(
            self.instance.trainee_years, ["trainees_year1", "trainees_year2", "trainees_year3"], strict=True
        ):
            self.fields[name].label = _("%(y)d 年培训人数") % {"y": year}
            self.fields[name].required = True


class CreditStepForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = SECTION_FIELDS["credit"]
        widgets = {"credit_statement": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "credit_declared": _(
                "本机构承诺：社会信用良好，无违法、失信、重大经济纠纷等不良记录，无乱办班、乱收费、乱发证等不良记录"
            )
        }


class StaffMemberForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = ["name", "title", "field", "category", "employment"]


class StaffPasteForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    lines = forms.CharField(
        label=_("批量添加（可从 Excel 复制粘贴）"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "张三, 教授, 数字经济, 教师, 专职"}),
        help_text=_("每行一人：姓名, 职称, 专业领域, 类别（教师/政策研究/技术人员）, 专职/兼职"),
    )


class AttachmentForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类别"),
        choices=[(k.value, k.label) for k in AttachmentKind if k.value in APPLICANT_KINDS],
    )
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB"))


class TransitionForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    """Per-section comments for a return for correction."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[f"section_{value}"] = forms.CharField(
                label=label, widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def section_comments(self):
        return {
            k.removeprefix("section_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("section_") and v
        }


class ExpertAssignForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("选派专家（至少 3 位）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(
        label=_("评分截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    reason = forms.CharField(
        label=_("指定理由"),
        max_length=300,
        help_text=_("专家原则上随机抽取；指定专家须说明理由，理由记入办理记录。"),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        assigned = application.assignments.values("expert_id")
        expert_ids = Membership.objects.filter(role=Role.EXPERT, organization__kind="expert_pool").values(
            "user_id"
        )
        self.fields["experts"].queryset = (
            User.objects.filter(pk__in=expert_ids, is_active=True)
            .exclude(pk__in=assigned)
            .order_by("username")
        )
        self.fields["experts"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"


class ExpertDrawForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    count = forms.IntegerField(label=_("抽取人数"), min_value=3, max_value=15, initial=3)
    seed = forms.IntegerField(
        label=_("随机种子（可选）"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("留空时由系统生成；种子与候选名单一并记录，用同一种子重新抽取得到相同的专家。"),
    )
    due_on = forms.DateField(
        label=_("评分截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )


class DeclarationForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    has_conflict = forms.ChoiceField(
        label=_("利益冲突声明"),
        choices=[
            ("0", _("本人与申报单位无利益冲突")),
            ("1", _("本人与申报单位存在利益冲突，申请回避")),
            ("2", _("本人因故无法参加本次评审")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回避或无法参加的说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScoreForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    comment = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rubric:
            self.fields[f"score_{item['key']}"] = forms.DecimalField(
                label=f"{item['label']}（{item['max']} 分）",
                min_value=0,
                max_value=int(item["max"]),
                decimal_places=1,
            )
        self.order_fields([f"score_{i['key']}" for i in rubric] + ["comment"])

    def scores(self):
        return {k.removeprefix("score_"): v for k, v in self.cleaned_data.items() if k.startswith("score_")}


class SiteVisitForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    visit_date = forms.DateField(
        label=_("考察日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    members = forms.CharField(label=_("考察组成员"), max_length=300)
    findings = forms.CharField(label=_("考察意见"), widget=forms.Textarea(attrs={"rows": 4}))
    passed = forms.TypedChoiceField(
        label=_("考察结论"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    files = forms.FileField(label=_("考察材料（可选）"), required=False)


class ObjectionForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(
        label=_("证据材料（可选）"), required=False, help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB")
    )


class ObjectionResolveForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationFilterForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    q = forms.CharField(label=_("关键词"), required=False)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Application.State.choices]
    )
    level = forms.ChoiceField(
        label=_("级别"),
        required=False,
        choices=[
            ("", _("全部级别")),
            ("provincial", _("省级")),
            ("municipal", _("市（州）级")),
            ("county", _("县级")),
            ("industry", _("行业性")),
        ],
    )
    priority = forms.BooleanField(label=_("仅看优先遴选"), required=False)
    batch = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    region = forms.CharField(required=False, widget=forms.HiddenInput)


class PanelMeetingForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    """A panel meeting's date and members, and per application waiting for the panel its resolution and votes.

    A row left without a conclusion is not resolved at this meeting."""

    CONCLUSIONS = [("", _("本次不评审")), ("passed", _("通过")), ("failed", _("不通过"))]

    held_on = forms.DateField(label=_("评审会日期"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.CharField(label=_("评审组成员"), max_length=300, required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = [row.application for row in rows if row.awaits_resolution]
        self.row_ids = [app.pk for app in waiting]
        for app in waiting:
            self._row_field(
                app, "conclusion", forms.ChoiceField(choices=self.CONCLUSIONS, required=False), _("评审结论")
            )
            for name, label in (("for", _("赞成票")), ("against", _("反对票")), ("abstain", _("弃权票"))):
                self._row_field(
                    app, name, forms.IntegerField(min_value=0, max_value=999, required=False), label
                )
            self._row_field(
                app,
                "remarks",
                forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 1})),
                _("评审意见"),
            )

    def _row_field(self, app, name, field, label):
        # The cell shows the short label; the error summary names the application with it.
        field.label = f"{app}{colon()}{label}"
        field.short_label = label
        self.fields[f"{name}_{app.pk}"] = field

    def clean(self):
        data = super().clean()
        if self.row_ids and not self.resolutions():
            raise forms.ValidationError(_("请至少为一项申报选择评审结论。"))
        return data

    def resolutions(self) -> dict:
        """Return the resolutions typed, keyed by application id (the panel service's input)."""
        data = getattr(self, "cleaned_data", {})
        return {
            pk: {
                "passed": data.get(f"conclusion_{pk}") == "passed",
                "votes_for": data.get(f"for_{pk}") or 0,
                "votes_against": data.get(f"against_{pk}") or 0,
                "votes_abstain": data.get(f"abstain_{pk}") or 0,
                "remarks": data.get(f"remarks_{pk}") or "",
            }
            for pk in self.row_ids
            if data.get(f"conclusion_{pk}")
        }

    def add_service_errors(self, exc) -> None:
        """Put the panel service's refusal on the form: an application's errors on its conclusion."""
        for key, errors in exc.field_errors.items():
            target = f"conclusion_{key}" if f"conclusion_{key}" in self.fields else key
            for error in errors:
                self.add_error(target if target in self.fields else None, error)
        if not exc.field_errors:
            self.add_error(None, exc.message)

    def row_fields(self, pk) -> list:
        return [self[f"{name}_{pk}"] for name in ("conclusion", "for", "against", "abstain", "remarks")]


def prefecture_choices():
    return [("", _("请选择"))] + [
        (r.pk, r.name) for r in Region.objects.filter(level="prefecture", is_active=True).order_by("pk")
    ]


class ExpertProfileForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    fields_text = forms.CharField(
        label=_("专业领域"), max_length=400, help_text=_("多个领域用逗号或顿号分隔，如：数字经济、智能制造")
    )
    title = forms.CharField(label=_("职称"), max_length=60, required=False)
    employer_name = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    region = forms.ChoiceField(label=_("所在市（州）"), required=False, choices=prefecture_choices)
    available = forms.BooleanField(label=_("可参加评审"), required=False)
    unavailable_note = forms.CharField(label=_("不可参加评审的原因"), max_length=200, required=False)

    @classmethod
    def initial_for(cls, profile) -> dict:
        if profile is None:
            return {"available": True}
        return {
            "fields_text": "、".join(profile.fields),
            "title": profile.title,
            "employer_name": profile.employer_label,
            "region": profile.region_id or "",
            "available": profile.available,
            "unavailable_note": profile.unavailable_note,
        }

    def profile_data(self) -> dict:
        data = self.cleaned_data
        return {
            "fields": data["fields_text"],
            "title": data["title"],
            "employer_name": data["employer_name"],
            "region": Region.objects.filter(pk=data["region"]).first() if data["region"] else None,
            "available": data["available"],
            "unavailable_note": data["unavailable_note"],
        }
