from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kit.forms import SingleLineFieldsMixin, SpecificMessages

from .identifiers import normalize_credit_code, validate_credit_code
from .models import ROLES_BY_KIND, Organization, Region, Role


def county_choices():
    """Counties grouped under their prefecture, for a region <select>."""
    groups = {}
    for region in Region.objects.filter(is_active=True).select_related("parent").order_by("code"):
        if region.level == Region.Level.COUNTY:
            groups.setdefault(region.parent.name, []).append((region.code, region.name))
        elif region.level == Region.Level.PREFECTURE:
            groups.setdefault(region.name, []).insert(0, (region.code, f"{region.name}（市本级）"))
    return [("", _("请选择所在区县")), *groups.items()]


class RegionChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=county_choices, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        region = Region.objects.filter(pk=code).first()
        if region is None:
            raise forms.ValidationError(_("请选择有效的区划。"))
        return region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续失败 5 次后账户将被锁定 30 分钟。"),
        "inactive": _("该账户已停用，请联系本机构管理员。"),
    }


class InstitutionRegistrationForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=120)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18 位，见营业执照或法人登记证书。"),
    )
    institution_type = forms.ChoiceField(
        label=_("机构类型"), choices=[("", _("请选择"))] + list(Organization.InstitutionType.choices)
    )
    region = RegionChoiceField(label=_("所在区县"))
    address = forms.CharField(label=_("地址"), max_length=200)
    full_name = forms.CharField(label=_("管理员姓名"), max_length=60)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"))
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput(render_value=False))
    password_confirm = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(render_value=False))

    def clean_credit_code(self):
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)  # early, so the message shows with the other field errors
        return code

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        return data


class MemberCreateForm(SpecificMessages, SingleLineFieldsMixin, forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _。")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    email = forms.EmailField(label=_("电子邮箱"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    roles = forms.MultipleChoiceField(label=_("角色"), widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("至少 12 位，含大写字母、小写字母、数字、符号中的至少 3 类。"),
    )

    def __init__(self, *args, organization, can_grant_provincial_admin=False, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ROLES_BY_KIND.get(organization.kind, ())
        self.fields["roles"].choices = [
            (r.value, r.label) for r in roles if r != Role.PROVINCIAL_ADMIN or can_grant_provincial_admin
        ]


class RegionFlagsForm(SpecificMessages, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["is_old_revolutionary_area", "is_ethnic_area", "is_remote_area", "is_less_developed_area"]


class PasswordResetForm(SpecificMessages, forms.Form):
    password = forms.CharField(
        label=_("临时密码"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("该用户下次登录时须修改此密码。"),
    )


class RegistrationRefuseForm(SpecificMessages, forms.Form):
    reason = forms.CharField(
        label=_("不予确认的理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class UserSearchForm(SpecificMessages, forms.Form):
    q = forms.CharField(label=_("用户名或姓名"), max_length=150, required=False)
