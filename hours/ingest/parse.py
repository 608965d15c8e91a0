"""Structural checks of one record, field by field, that need no database.

Written for speed (a few microseconds a record): exact type tests instead of isinstance, cached hours. A field's
check raises _Refused only to refuse, so the common path pays for no exception handling.
"""

import datetime
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .. import crypto
from .outcome import _refuse

HALF = Decimal("0.5")
TENTH = Decimal("0.1")
MAX_HOURS = Decimal("1000")  # far above any class; bounds the arithmetic on whatever a client sends
_hours_seen: dict = {}  # (type, value) → valid hours: a platform sends the same few values again and again
_HOURS_KEY_TYPES = (str, int, float)


class _Refused(Exception):
    """A field is unfit; reason is what the client is told about the record."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _parse(raw, out, today_ymd=None, counties=frozenset()):
    """Return the record's cleaned fields, or None after refusing it. counties: the county codes a work region
    may name (read once per batch)."""
    # Anything but an object has no external_id: refused below for that, echoing nothing.
    get = raw.get if type(raw) is dict else {}.get
    row = get("_row")
    if type(row) is not int:
        row = None  # the workbook row number, set by the Excel reader; anything else a client sent is dropped
    ext = _external_id(get("external_id"), out, row)
    if ext is None:
        return None
    try:
        # Evaluated in order: the first unfit field is the one named in the refusal.
        return {
            "external_id": ext,
            "id_number": _id_number(get("id_number"), today_ymd),
            "name": _name(get("name")),
            "subject": _subject(get("subject")),
            "hours": _hours(get("hours")),
            "completed_on": _completed_on(get("completed_on")),
            "class_id": _class_id(get("class_id")),
            "work_region": _work_region(get("work_region"), counties),
            "row": row,
        }
    except _Refused as refused:
        _refuse(out, ext, refused.reason, row)
        return None


def _external_id(value, out, row):
    """Return the trimmed external_id, or None after refusing it: echoed cut short, or escaped, to be legible."""
    if type(value) is int and -(10**64) < value < 10**64:
        value = str(value)
    if type(value) is str:
        value = value.strip()
    if type(value) is not str or not value or len(value) > 64:
        echo = (value[:64] + "…" if len(value) > 64 else value) if type(value) is str else None
        _refuse(out, echo, _("缺少记录编号（external_id），或超过 64 个字符"), row)
        return None
    if not value.isprintable():
        _refuse(
            out,
            value.encode("unicode_escape").decode("ascii"),
            _("记录编号（external_id）只能由可见字符组成"),
            row,
        )
        return None
    return value


def _id_number(value, today_ymd) -> str:
    """Return the ID number upper-cased, once its check character and birth date are right."""
    if type(value) is int and 0 < value < 10**18:
        value = str(value)  # 18 digits sent as a JSON number (no X check character)
    value = value.strip().upper() if type(value) is str else ""
    if not crypto.is_valid(value, today_ymd):
        raise _Refused(_("身份证号码无效（校验位或出生日期不正确）"))
    return value


def _name(value) -> str:
    """Return the trimmed name, once it is there, short enough and free of invisible characters."""
    name = value.strip() if type(value) is str else ""
    if not name or len(name) > 60:
        raise _Refused(_("缺少姓名，或超过 60 个字符"))
    # Control, format, surrogate and unassigned code points (a NUL, a line break from an Excel cell, a
    # right-to-left override) have no place in a name on a certificate, and a NUL or a lone surrogate would break
    # the COPY of the whole batch.
    if not name.isprintable() and any(unicodedata.category(c)[0] == "C" for c in name):
        raise _Refused(_("姓名不能含控制字符或不可见字符"))
    return name


def _subject(value) -> str:
    """Return the subject kind: general or professional."""
    if value != "general" and value != "professional":
        raise _Refused(_("科目类别应为 general（公需科目）或 professional（专业科目）"))
    return value


def _hours(value) -> Decimal:
    """Return hours as a Decimal with one decimal place; a refusal's reason is translated per call, not cached."""
    cacheable = type(value) in _HOURS_KEY_TYPES
    if cacheable:
        cached = _hours_seen.get((type(value), value))
        if cached is not None:
            return cached
    try:
        hours = Decimal(value if type(value) is str else str(value))
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise _Refused(_("学时应为数字")) from None
    # Compared with HALF, not 0: 1e-1000030 % 0.5 underflows to 0 and would round to 0.0 hours.
    if hours < HALF or hours > MAX_HOURS or hours % HALF != 0:
        raise _Refused(_("学时须大于 0，且以 0.5 学时为单位"))
    hours = hours.quantize(TENTH)
    if cacheable and len(_hours_seen) < 1000:
        _hours_seen[(type(value), value)] = hours
    return hours


def _completed_on(value) -> datetime.date:
    """Return the completion date, sent as a date, a datetime (Excel) or exactly YYYY-MM-DD."""
    if type(value) is datetime.datetime:
        return value.date()
    if type(value) is datetime.date:
        return value
    # Exactly YYYY-MM-DD (Python 3.11 would also take week dates and other ISO forms).
    if (
        type(value) is str
        and len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value[5:7].isdigit()
        and value[8:].isdigit()
    ):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _Refused(_("完成日期应为 YYYY-MM-DD"))


def _class_id(value) -> int:
    """Return a class id sent as an integer, an integral float (Excel) or a string of digits."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is str:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
    if value in (None, ""):
        raise _Refused(_("缺少培训班编号（class_id）"))
    raise _Refused(_("培训班编号应为数字（class_id）"))


def _work_region(value, counties) -> str | None:
    """Return the county code of the trainee's work region, or None when none is sent (the field is optional).
    Only a county is taken: R-20 counts the hours that reached each preference region by it, and a prefecture's
    code would not say which county was served."""
    if type(value) is int or (type(value) is float and value.is_integer()):
        value = str(int(value))  # a code typed into Excel arrives as a number
    if type(value) is str:
        value = value.strip()
        if not value:
            return None
        if value in counties:
            return value
    elif value is None:
        return None
    raise _Refused(
        _("工作地区代码（work_region）应为四川省县级行政区划代码（6 位数字，GB/T 2260），如 510104")
    )
