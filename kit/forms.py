"""Form plumbing shared by the apps: single-line text fields refuse control characters."""

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
