from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from kit.forms import SingleLineFieldsMixin, SpecificMessages
from kit.text import in_parentheses, join_words

from .models import CLASS_FIELDS, ITEM_FIELDS, Mode, PlanItem, ServiceForm, SubjectKind, TrainingClass


class PlanItemForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    preference_regions = forms.ModelMultipleChoiceField(
        label=_("倾斜服务地区（公益性培训）"),
        queryset=Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "公益性培训服务的市（州），可多选；名称后标注了该地区的倾斜政策类别（革命老区、民族地区、边远地区、欠发达地区，《办法》第十五条）。"
        ),
    )

    class Meta:
        model = PlanItem
        fields = ITEM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_form"].choices = [("", _("请选择")), *ServiceForm.choices]
        self.fields["subject_kind"].choices = [("", _("请选择")), *SubjectKind.choices]
        self.fields["mode"].choices = [("", _("请选择")), *Mode.choices]
        flagged = Region.objects.filter(level=Region.Level.PREFECTURE).order_by("code")
        self.fields["preference_regions"].label_from_instance = lambda r: (
            r.name + in_parentheses(join_words(r.preference_labels)) if r.preference_labels else r.name
        )
        self.fields["preference_regions"].queryset = flagged


class PlanTextForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    summary_narrative = forms.CharField(
        label=_("上年度计划执行情况总结"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    amendment_reason = forms.CharField(
        label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TrainingClassForm(SpecificMessages, SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = CLASS_FIELDS
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"teachers": _("多名教师用顿号分隔。")}


class ClassProgressForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=TrainingClass.Status.choices)
    enrolled_count = forms.IntegerField(label=_("报名人数"), min_value=0)
    completed_count = forms.IntegerField(label=_("结业人数"), min_value=0)


class ClassEvaluationForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    satisfaction = forms.DecimalField(
        label=_("学员满意度（%）"), min_value=0, max_value=100, decimal_places=1
    )
    self_assessment = forms.CharField(label=_("课程质量自评"), widget=forms.Textarea(attrs={"rows": 3}))


class YearlyEvaluationForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    evaluation = forms.CharField(label=_("培训综合质量评估"), widget=forms.Textarea(attrs={"rows": 5}))
