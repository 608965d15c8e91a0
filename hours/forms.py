from django import forms
from django.utils.translation import gettext_lazy as _

from kit.forms import SingleLineFieldsMixin, SpecificMessages


class UploadForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    file = forms.FileField(label=_("学时工作簿（.xlsx）"), help_text=_("按模板填写，单个文件不超过 20 MB。"))


class KeyForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    label = forms.CharField(label=_("密钥名称"), max_length=60, help_text=_("如：基地网络学院平台"))


class LookupForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class VerifyForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20)


class CloseYearForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
