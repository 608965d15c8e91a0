"""Resident ID numbers (GB 11643): validation, encryption at rest, keyed look-up hash, masking. The full number
never goes to URLs, logs or error messages.

Two ciphers, chosen for new data by HOURS_ID_CIPHER: "fernet" (AES-128-CBC + HMAC-SHA256, keys HOURS_ID_KEYS) and
"sm4" (国密 SM4 in GCM, keys HOURS_SM4_KEYS), so a 商用密码应用安全性评估 (密评) can be passed with national
algorithms. Either decrypts with every configured key of both, so `manage.py rotate_id_keys` moves stored data
from one cipher or key to the current one while the portal keeps running. The look-up hash is HMAC-SHA256 or
HMAC-SM3 (HOURS_HASH_ALGORITHM).
"""

import base64
import datetime
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CIPHERS = ("fernet", "sm4")


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
def _fernet() -> MultiFernet | None:
    keys = [k.strip() for k in settings.HOURS_ID_KEYS.split(",") if k.strip()]
    if not keys:
        if _cipher_name() == "fernet":
            raise ImproperlyConfigured("HOURS_ID_KEYS must hold at least one Fernet key.")
        return None
    return MultiFernet([Fernet(k) for k in keys])


@lru_cache(maxsize=1)
def _sm4_keys() -> tuple[bytes, ...]:
    return sm4_keys_from_setting(settings.HOURS_SM4_KEYS)


def sm4_keys_from_setting(value: str) -> tuple[bytes, ...]:
    """HOURS_SM4_KEYS: comma-separated 128-bit keys written as 32 hex digits; the first encrypts."""
    keys = []
    for item in (k.strip() for k in (value or "").split(",")):
        if not item:
            continue
        try:
            key = bytes.fromhex(item)
        except ValueError:
            key = b""
        if len(key) != 16:
            raise ImproperlyConfigured("Each HOURS_SM4_KEYS key must be 32 hex digits (128 bits).")
        keys.append(key)
    return tuple(keys)


def _cipher_name() -> str:
    name = (settings.HOURS_ID_CIPHER or "fernet").strip().lower()
    if name not in CIPHERS:
        raise ImproperlyConfigured(f"HOURS_ID_CIPHER must be one of {', '.join(CIPHERS)}.")
    return name


@lru_cache(maxsize=1)
def _hasher() -> "hmac.HMAC":
    if not settings.HOURS_HASH_KEY:
        raise ImproperlyConfigured("HOURS_HASH_KEY must be set.")
    algorithm = (settings.HOURS_HASH_ALGORITHM or "hmac-sha256").strip().lower()
    if algorithm not in HASHES:
        raise ImproperlyConfigured(f"HOURS_HASH_ALGORITHM must be one of {', '.join(HASHES)}.")
    return HASHES[algorithm](settings.HOURS_HASH_KEY.encode())


def reset_key_cache():
    _fernet.cache_clear()
    _sm4_keys.cache_clear()
    _hasher.cache_clear()


class _SM3HMAC:
    """HMAC-SM3 (GB/T 32905) with the copy()/update()/hexdigest() of hmac.HMAC, over `cryptography`."""

    def __init__(self, key: bytes, _state=None):
        self._h = _state or crypto_hmac.HMAC(key, hashes.SM3())

    def copy(self) -> "_SM3HMAC":
        return _SM3HMAC(b"", self._h.copy())

    def update(self, data: bytes) -> None:
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


HASHES = {
    "hmac-sha256": lambda key: hmac.new(key, digestmod="sha256"),
    "hmac-sm3": _SM3HMAC,
}


def lookup_hash(id_number: str) -> str:
    """HMAC of the number under HOURS_HASH_KEY (SHA-256 by default, SM3 by HOURS_HASH_ALGORITHM), hex. The keyed
    state is built once and copied per number (ingestion hashes tens of thousands a second)."""
    h = _hasher().copy()
    h.update(id_number.encode())
    return h.hexdigest()


# SM4 (GB/T 32907) in GCM, an authenticated mode: a token is the prefix, then base64url of nonce, ciphertext and
# tag. The associated data ties a token to its purpose, so a token made for something else does not decrypt.
SM4_PREFIX = "sm4gcm:"
_SM4_AAD = b"ce-portal/hours/id-number/v1"
_NONCE_BYTES = 12
_TAG_BYTES = 16


def _sm4_encrypt(key: bytes, plaintext: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_SM4_AAD)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return SM4_PREFIX + base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def _sm4_decrypt(token: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(token[len(SM4_PREFIX) :].encode())
    except ValueError:
        raise InvalidToken from None
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise InvalidToken
    nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
    for key in _sm4_keys():
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(_SM4_AAD)
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            continue
    raise InvalidToken


def encrypt(id_number: str) -> str:
    """Encrypt with the current cipher (HOURS_ID_CIPHER) and its first key."""
    if _cipher_name() == "sm4":
        keys = _sm4_keys()
        if not keys:
            raise ImproperlyConfigured("HOURS_ID_CIPHER=sm4 needs HOURS_SM4_KEYS.")
        return _sm4_encrypt(keys[0], id_number.encode())
    return _fernet().encrypt(id_number.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a token of either cipher with any configured key (so data survives a change of cipher)."""
    if token.startswith(SM4_PREFIX):
        return _sm4_decrypt(token).decode()
    fernet = _fernet()
    if fernet is None:
        raise InvalidToken
    return fernet.decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether the token is of the current cipher (its key may still be an older one)."""
    return token.startswith(SM4_PREFIX) == (_cipher_name() == "sm4")


def rotate(token: str) -> str:
    """Re-encrypt with the current cipher and its first key (from Fernet to SM4 once HOURS_ID_CIPHER=sm4)."""
    if _cipher_name() == "fernet" and not token.startswith(SM4_PREFIX):
        return _fernet().rotate(token.encode()).decode()
    return encrypt(decrypt(token))
