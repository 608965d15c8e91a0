from django import forms
from django.utils.translation import gettext_lazy as _

from kit.forms import SingleLineFieldsMixin, SpecificMessages

from .models import FACT_FIELDS, MisconductReport, Partner


class ChangeRequestForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(label=_("基地名称"), max_length=120)
    contact_name = forms.CharField(label=_("联系人"), max_length=60)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    platform_name = forms.CharField(label=_("网络培训平台名称"), max_length=120, required=False)
    platform_url = forms.URLField(label=_("网络培训平台网址"), required=False)
    reasons = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("证明材料（可选）"), required=False, help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB")
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Partners and fees are rows of fields (a formset each), entered and shown with the form.
        self.partners = PartnerRowFormSet(data, prefix="partners", initial=self.initial.get("partners") or [])
        self.fees = FeeRowFormSet(data, prefix="fees", initial=self.initial.get("fees") or [])
        self.row_sets = [self.partners, self.fees]

    @classmethod
    def initial_from(cls, facts: dict, reasons: str = "") -> dict:
        return {
            **{k: facts.get(k, "") for k in FACT_FIELDS},
            "partners": [
                {"kind": p["kind"], "name": p["name"], "description": p.get("description", "")}
                for p in facts.get("partners", [])
            ],
            "fees": [
                {"item": f["item"], "amount": f["amount"], "unit": f["unit"], "note": f.get("note", "")}
                for f in facts.get("fees", [])
            ],
            "reasons": reasons,
        }

    def is_valid(self):
        rows_valid = all([rows.is_valid() for rows in self.row_sets])  # noqa: C419 (validate every set)
        return super().is_valid() and rows_valid

    def proposed(self) -> dict:
        data = self.cleaned_data
        proposed = {k: data.get(k) or "" for k in FACT_FIELDS}
        proposed["partners"] = [row.cleaned_data for row in self.partners if row.cleaned_data]
        proposed["fees"] = [
            {**row.cleaned_data, "amount": str(row.cleaned_data["amount"])}
            for row in self.fees
            if row.cleaned_data
        ]
        return proposed


class _Row(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    """One row of a list in a form: a row left wholly empty is skipped, a started one must be complete."""

    needed: tuple = ()

    def clean(self):
        data = super().clean()
        if not any(v not in (None, "") for v in data.values()) and not self.errors:
            return {}
        for name in self.needed:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        return data


class PartnerRowForm(_Row):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("请选择")), *Partner.Kind.choices]
    )
    name = forms.CharField(label=_("名称"), max_length=120, required=False)
    description = forms.CharField(label=_("合作内容"), max_length=200, required=False)
    needed = ("kind", "name")

    def use_specific_messages(self):
        super().use_specific_messages()
        self.fields["kind"].error_messages["required"] = _("请选择合作单位的类别。")
        self.fields["name"].error_messages["required"] = _("请填写合作单位或学习中心的名称。")


class FeeRowForm(_Row):
    item = forms.CharField(label=_("收费项目"), max_length=120, required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    unit = forms.CharField(label=_("计费单位"), max_length=20, required=False, initial="人")
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    needed = ("item", "amount")

    def use_specific_messages(self):
        super().use_specific_messages()
        self.fields["item"].error_messages["required"] = _("请填写收费项目。")
        self.fields["amount"].error_messages["required"] = _("请填写该项收费的金额（元）。")
        self.fields["amount"].error_messages["invalid"] = _("金额应为数字，如 300 或 1200.50。")

    def clean(self):
        data = super().clean()
        if data and not data.get("unit"):
            data["unit"] = "人"
        return data


PartnerRowFormSet = forms.formset_factory(PartnerRowForm, extra=1)
FeeRowFormSet = forms.formset_factory(FeeRowForm, extra=1)


class MisconductReportForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    category = forms.ChoiceField(
        label=_("举报类别"), choices=[("", _("请选择")), *MisconductReport.Category.choices]
    )
    description = forms.CharField(
        label=_("举报内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明时间、地点、涉及的培训班及具体情况。"),
    )
    evidence = forms.FileField(
        label=_("证据材料（可选）"), required=False, help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB")
    )
    reporter_name = forms.CharField(label=_("您的姓名"), max_length=60)
    reporter_phone = forms.CharField(
        label=_("您的联系电话"), max_length=30, help_text=_("仅认定部门可见，用于核实情况。")
    )


class TriageForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("处理决定"),
        choices=[
            (MisconductReport.Status.SPOT_CHECK, _("转入抽查")),
            (MisconductReport.Status.DISMISSED, _("不予立案")),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("处理意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("举报人可凭回执码查看处理意见。"),
    )


class ReceiptLookupForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=20)


class ImportForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    file = forms.FileField(label=_("基地名录工作簿（.xlsx）"))
    publish_notice = forms.BooleanField(label=_("同时发布既有基地登记公告"), required=False)
