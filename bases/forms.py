from django import forms
from django.utils.translation import gettext_lazy as _

from kit.forms import SpecificMessages

from .models import FACT_FIELDS, MisconductReport, Partner


class ChangeRequestForm(SpecificMessages, forms.Form):
    name = forms.CharField(label=_("基地名称"), max_length=120)
    contact_name = forms.CharField(label=_("联系人"), max_length=60)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    platform_name = forms.CharField(label=_("网络培训平台名称"), max_length=120, required=False)
    platform_url = forms.URLField(label=_("网络培训平台网址"), required=False)
    partners_text = forms.CharField(
        label=_("合作单位与网络学习中心"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：类别（合作单位/学习中心）| 名称 | 合作内容"),
    )
    fees_text = forms.CharField(
        label=_("收费标准"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项：收费项目 | 金额（元）| 计费单位 | 说明"),
    )
    reasons = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("证明材料（可选）"), required=False, help_text=_("PDF、JPG、PNG、DOCX、XLSX，不超过 20 MB")
    )

    KIND_WORDS = {
        "合作单位": Partner.Kind.INDUSTRY,
        "产学研合作单位": Partner.Kind.INDUSTRY,
        "学习中心": Partner.Kind.LEARNING_CENTRE,
        "网络学习中心": Partner.Kind.LEARNING_CENTRE,
    }

    @classmethod
    def initial_from(cls, facts: dict, reasons: str = "") -> dict:
        kinds = {
            v: k
            for k, v in {"合作单位": Partner.Kind.INDUSTRY, "学习中心": Partner.Kind.LEARNING_CENTRE}.items()
        }
        return {
            **{k: facts.get(k, "") for k in FACT_FIELDS},
            "partners_text": "\n".join(
                f"{kinds.get(p['kind'], p['kind'])} | {p['name']} | {p['description']}"
                for p in facts.get("partners", [])
            ),
            "fees_text": "\n".join(
                f"{f['item']} | {f['amount']} | {f['unit']} | {f['note']}" for f in facts.get("fees", [])
            ),
            "reasons": reasons,
        }

    def clean_partners_text(self):
        partners = []
        for n, line in enumerate(self.cleaned_data["partners_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            kind = self.KIND_WORDS.get(parts[0])
            if kind is None or len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(
                    _("第 %(n)d 行：格式应为“类别 | 名称 | 合作内容”，类别为“合作单位”或“学习中心”。")
                    % {"n": n}
                )
            partners.append(
                {"kind": kind, "name": parts[1], "description": parts[2] if len(parts) > 2 else ""}
            )
        return partners

    def clean_fees_text(self):
        fees = []
        for n, line in enumerate(self.cleaned_data["fees_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            if len(parts) < 2 or not parts[0]:
                raise forms.ValidationError(
                    _("第 %(n)d 行：格式应为“收费项目 | 金额 | 计费单位 | 说明”。") % {"n": n}
                )
            fees.append(
                {
                    "item": parts[0],
                    "amount": parts[1],
                    "unit": parts[2] if len(parts) > 2 and parts[2] else "人",
                    "note": parts[3] if len(parts) > 3 else "",
                }
            )
        return fees

    def proposed(self) -> dict:
        data = self.cleaned_data
        proposed = {k: data.get(k) or "" for k in FACT_FIELDS}
        proposed["partners"] = data.get("partners_text", [])
        proposed["fees"] = data.get("fees_text", [])
        return proposed


class MisconductReportForm(SpecificMessages, forms.Form):
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


class TriageForm(SpecificMessages, forms.Form):
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


class ReceiptLookupForm(SpecificMessages, forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=20)


class ImportForm(SpecificMessages, forms.Form):
    file = forms.FileField(label=_("基地名录工作簿（.xlsx）"))
    publish_notice = forms.BooleanField(label=_("同时发布既有基地登记公告"), required=False)
