"""What every portal form shares: messages that name the field instead of Django's bare "该字段是必填项。"."""

from django import forms
from django.utils.translation import gettext_lazy as _

_DEFAULT_REQUIRED = forms.Field.default_error_messages["required"]
_DEFAULT_INVALID_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]


def _required_message(field, label):
    if isinstance(field, forms.FileField):
        return _("请选择要上传的%(label)s文件。") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
        return _("请选择%(label)s。") % {"label": label}
    return _("请填写%(label)s。") % {"label": label}


class SpecificMessages:
    """Put the field's own label into a required or invalid-choice message left at Django's default.

    Messages a form already sets for a field stay as they are; only the generic ones are replaced.
    """

    def full_clean(self):
        # At validation, not in __init__: many forms add their fields in their own __init__, after ours ran.
        self.use_specific_messages()
        super().full_clean()

    def use_specific_messages(self):
        for name, field in self.fields.items():
            label = field.label or name
            messages = field.error_messages
            if str(messages.get("required", "")) == str(_DEFAULT_REQUIRED):
                messages["required"] = _required_message(field, label)
            if str(messages.get("invalid_choice", "")) == str(_DEFAULT_INVALID_CHOICE):
                messages["invalid_choice"] = _("所选的%(label)s不在可选范围内，请重新选择。") % {
                    "label": label
                }
