"""Validation of the identifiers the regulation names (R-06): unified social credit codes (GB 32100)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """Refuse a code that is not 18 characters of the GB 32100 alphabet with a correct check character."""
    try:
        uscc.validate(value)
    except InvalidLength as exc:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum") from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(
            _("统一社会信用代码格式不正确（仅含数字和大写字母，不含 I、O、Z、S、V）。"), code="format"
        ) from exc
