"""Resident ID numbers (GB 11643): validation, encryption at rest (MultiFernet, rotatable), keyed look-up hash,
masking. The full number never goes to URLs, logs or error messages."""

import datetime
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def normalize(id_number: str) -> str:
    return (id_number or "").strip().upper()


# GB/T 2260 province-level prefixes (the first two digits of every resident ID number).
PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
    "91",
}


def check_character(body17: str) -> str:
    """GB 11643 check character (ISO 7064 mod 11-2) of the first 17 digits. Reading the digits in base 13 gives
    sum(d_i * 13^(16-i)), and 13 = 2 (mod 11), so its remainder is the standard weighted sum's."""
    checksum = (1 - 2 * int(body17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def is_valid(id_number: str, today_ymd: str | None = None) -> bool:
    """GB 11643: 17 digits and a check character (mod 11-2), a real birth date, a known province prefix.

    stdnum's full validation also requires the county code to have existed at the birth date; a person
    registered later in a district created after their birth then fails, so only the province is checked.
    today_ymd (YYYYMMDD) lets a batch compute today once.
    Written out rather than through stdnum: ingestion checks tens of thousands of numbers a second.
    """
    if len(id_number) != 18:
        return False
    body = id_number[:17]
    if not (body.isascii() and body.isdigit()) or id_number[17] not in "0123456789X":
        return False
    if body[:2] not in PROVINCES:
        return False
    try:
        datetime.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return False
    # YYYYMMDD strings of equal length compare as the dates do.
    if body[6:10] < "1900" or body[6:14] > (today_ymd or datetime.date.today().strftime("%Y%m%d")):
        return False
    return check_character(body) == id_number[17]


def mask(id_number: str) -> str:
    """5101**********123X: region prefix and the last four, as DESIGN.md shows it."""
    return id_number[:4] + "*" * 10 + id_number[-4:]


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in settings.HOURS_ID_KEYS.split(",") if k.strip()]
    if not keys:
        raise ImproperlyConfigured("HOURS_ID_KEYS must hold at least one Fernet key.")
    return MultiFernet([Fernet(k) for k in keys])


@lru_cache(maxsize=1)
def _hasher() -> "hmac.HMAC":
    if not settings.HOURS_HASH_KEY:
        raise ImproperlyConfigured("HOURS_HASH_KEY must be set.")
    return hmac.new(settings.HOURS_HASH_KEY.encode(), digestmod="sha256")


def reset_key_cache():
    _fernet.cache_clear()
    _hasher.cache_clear()


def lookup_hash(id_number: str) -> str:
    """HMAC-SHA256 of the number under HOURS_HASH_KEY, hex. The keyed state is built once and copied per number
    (ingestion hashes tens of thousands a second)."""
    h = _hasher().copy()
    h.update(id_number.encode())
    return h.hexdigest()


def encrypt(id_number: str) -> str:
    return _fernet().encrypt(id_number.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt with the first (current) key."""
    return _fernet().rotate(token.encode()).decode()
