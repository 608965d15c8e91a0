"""Deployment checks of the hours registry's keys (`manage.py check --deploy`): without them the portal would
start and then fail on the first ID number it has to encrypt, hash or read."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import crypto

# The fixed keys settings.py gives a DEBUG run; a production key must be the deployer's own.
DEVELOPMENT_KEYS = {
    "ZGV2LW9ubHktZmVybmV0LWtleS0wMTIzNDU2Nzg5YWI=",
    "dev-only-hash-key",
    "00112233445566778899aabbccddeeff",
}


def _error(id_, msg, hint):
    return checks.Error(msg, hint=hint, id=f"hours.{id_}")


@checks.register(checks.Tags.security, deploy=True)
def check_id_keys(app_configs=None, **kwargs):
    errors = []
    cipher = (settings.HOURS_ID_CIPHER or "").strip().lower()
    if cipher not in crypto.CIPHERS:
        errors.append(_error("E003", f"HOURS_ID_CIPHER is {cipher!r}.", "Set it to fernet or sm4."))
    if (settings.HOURS_HASH_ALGORITHM or "").strip().lower() not in crypto.HASHES:
        errors.append(
            _error("E003", "HOURS_HASH_ALGORITHM is unknown.", "Set it to hmac-sha256 or hmac-sm3.")
        )
    if not settings.HOURS_HASH_KEY:
        errors.append(
            _error(
                "E002",
                "HOURS_HASH_KEY is not set: ID numbers cannot be looked up.",
                "Set HOURS_HASH_KEY to a long random secret and never change it without re-hashing.",
            )
        )
    fernet_keys = [k.strip() for k in (settings.HOURS_ID_KEYS or "").split(",") if k.strip()]
    try:
        for key in fernet_keys:
            Fernet(key)
    except ValueError:
        errors.append(_error("E001", "HOURS_ID_KEYS holds a key that is not a Fernet key.", _FERNET_HINT))
    try:
        sm4_keys = crypto.sm4_keys_from_setting(settings.HOURS_SM4_KEYS)
    except ImproperlyConfigured as exc:
        errors.append(_error("E001", str(exc), _SM4_HINT))
        sm4_keys = ()
    if cipher == "fernet" and not fernet_keys:
        errors.append(
            _error("E001", "HOURS_ID_KEYS is not set: ID numbers cannot be encrypted.", _FERNET_HINT)
        )
    if cipher == "sm4" and not sm4_keys:
        errors.append(_error("E001", "HOURS_ID_CIPHER=sm4 but HOURS_SM4_KEYS is not set.", _SM4_HINT))
    in_use = {*fernet_keys, settings.HOURS_HASH_KEY, *(k.strip() for k in settings.HOURS_SM4_KEYS.split(","))}
    if in_use & DEVELOPMENT_KEYS:
        errors.append(
            _error(
                "E004",
                "A development key of settings.py is configured.",
                "Generate the deployment's own keys.",
            )
        )
    return errors


_FERNET_HINT = 'Generate one with python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
_SM4_HINT = 'Generate one with python -c "import secrets; print(secrets.token_hex(16))"'
