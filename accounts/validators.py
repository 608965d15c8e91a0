"""Password rules beyond Django's: at least three of the four character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    CLASSES = (
        set(string.ascii_lowercase),
        set(string.ascii_uppercase),
        set(string.digits),
    )

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def count_classes(self, password: str) -> int:
        found = sum(1 for chars in self.CLASSES if any(c in chars for c in password))
        # Anything that is not a letter or digit counts as a symbol (punctuation, spaces, Chinese characters).
        if any(not (c.isascii() and c.isalnum()) for c in password):
            found += 1
        return found

    def validate(self, password, user=None):
        if self.count_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


class MinimumLengthValidator:
    """Django's length rule with the portal's own Chinese message (Django's zh-Hans catalogue lacks it)."""

    def __init__(self, min_length: int = 12):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return _("密码太短，至少 %(n)d 个字符。") % {"n": self.min_length}
