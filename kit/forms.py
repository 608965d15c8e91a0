"""Form plumbing shared by the apps: single-line text fields refuse control characters, and messages name the
field instead of Django's bare "该字段是必填项。"."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import has_control_characters


def validate_single_line(value) -> None:
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(_("不能包含换行符、制表符或其他控制字符。"), code="control_characters")


def is_single_line(field) -> bool:
    """A text field typed on one line: not a text area, not a password (which may hold anything)."""
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    )


class SingleLineFieldsMixin:
    """Refuse control characters in every single-line text field of the form (names, titles, phone numbers, codes).

    Checked in full_clean, so fields a form adds in its own __init__ are covered too.
    """

    def full_clean(self):
        for field in self.fields.values():
            if is_single_line(field) and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)
        super().full_clean()


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
