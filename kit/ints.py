"""Integers from query strings, bounded so that no value a visitor types can overflow a database column."""

from django.core.exceptions import BadRequest

MAX_ID = 2**31 - 1


def safe_int(value, default=None, *, lo=0, hi=MAX_ID):
    """Return `value` as an int within [lo, hi], or `default` for anything else."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return default
    number = int(text)
    return number if lo <= number <= hi else default


def required_int(value, message, *, lo=0, hi=MAX_ID) -> int:
    """Return `value` as an int within [lo, hi]; refuse anything else with a 400 showing `message`."""
    number = safe_int(value, None, lo=lo, hi=hi)
    if number is None:
        raise BadRequest(message)
    return number
