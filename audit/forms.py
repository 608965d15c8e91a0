from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ADMIN_DUTY_ROLES
from kit.forms import SpecificMessages


class AuditFilterForm(SpecificMessages, forms.Form):
    action = forms.CharField(label=_("操作"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    object_type = forms.CharField(label=_("对象类型"), required=False)
    object_id = forms.CharField(label=_("对象编号"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    q = forms.CharField(label=_("关键词"), required=False)
    # 三权分立: the audit administrator reviews what each of the other administrators did.
    duty = forms.ChoiceField(
        label=_("操作人职责"),
        required=False,
        choices=[("", _("全部")), *((r.value, r.label) for r in ADMIN_DUTY_ROLES)],
    )
