from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bases.models import Base
from kit.forms import SingleLineFieldsMixin, SpecificMessages

from .models import ITEMS, InspectionRound, Rating


class RoundForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=InspectionRound.Kind.choices, widget=forms.RadioSelect)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=150)
    draw_size = forms.IntegerField(
        label=_("随机抽取基地数（抽查）"),
        min_value=1,
        required=False,
        help_text=_("填写后从检查范围内随机抽取，抽签种子和候选名单将被记录，可复核。"),
    )
    bases = forms.ModelMultipleChoiceField(
        label=_("或指定基地（抽查）"),
        queryset=Base.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    qualified_min = forms.IntegerField(label=_("合格线（平均分）"), min_value=0, max_value=100, initial=80)
    basic_min = forms.IntegerField(label=_("基本合格线（平均分）"), min_value=0, max_value=100, initial=60)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bases"].queryset = scope


class ScoreForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    inspected_on = forms.DateField(
        label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人员（不少于 2 人）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    conclusion = forms.CharField(label=_("检查意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = staff
        self.fields["inspectors"].label_from_instance = lambda u: u.display_name
        for key, label in ITEMS:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=_("%(item)s（0-100）") % {"item": label}, min_value=0, max_value=100
            )
            self.fields[f"notes_{key}"] = forms.CharField(
                label=_("%(l)s：情况说明") % {"l": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )

    def scores(self):
        return {k: self.cleaned_data[f"score_{k}"] for k, _l in ITEMS}

    def notes(self):
        return {k: self.cleaned_data.get(f"notes_{k}", "") for k, _l in ITEMS}


class ConfirmForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    rectification_items = forms.CharField(
        label=_("整改事项（不合格时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("整改期限（不合格时必填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AssessmentConfirmForm(ConfirmForm):
    rating = forms.ChoiceField(label=_("评估等次"), choices=Rating.choices)
    reason = forms.CharField(
        label=_("调整理由（与建议等次不同时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    reply = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("整改证明材料（可选）"),
        required=False,
        help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB"),
    )


class SelfAssessmentForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    notes = forms.CharField(label=_("自评说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ITEMS:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=_("%(item)s（0-100）") % {"item": label}, min_value=0, max_value=100
            )
        self.order_fields([f"score_{k}" for k, _l in ITEMS] + ["notes"])
