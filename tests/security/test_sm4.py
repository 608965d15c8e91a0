"""ID numbers under 国密 (R-31 personal data; 商用密码应用安全性评估): SM4-GCM for new data when HOURS_ID_CIPHER=sm4,
HMAC-SM3 for the look-up hash when HOURS_HASH_ALGORITHM=hmac-sm3, and `rotate_id_keys` moving every stored
encrypted ID number from Fernet to SM4."""

import hashlib
import hmac
import io
import re

import pytest
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import models

from hours import crypto, payloads, services
from hours.ingest import ingest_records
from hours.models import IngestChunk, Person
from tests.hours.conftest import HoursWorld, make_id

SM4_KEY = "0123456789abcdeffedcba9876543210"
SM4_KEY_2 = "f" * 32
FERNET_TOKEN = re.compile(r"gAAAAA[A-Za-z0-9_=-]{20,}")


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.HOURS_ID_CIPHER = "fernet"
    settings.HOURS_SM4_KEYS = SM4_KEY
    settings.HOURS_HASH_ALGORITHM = "hmac-sha256"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.HOURS_SYNC_LIMIT = 50
    settings.HOURS_CHUNK_SIZE = 20
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def _use(settings, **values):
    for name, value in values.items():
        setattr(settings, name, value)
    crypto.reset_key_cache()


def test_the_installed_openssl_offers_sm4_gcm_and_sm3():
    """What the choice of mode rests on: cryptography's OpenSSL has SM4 in GCM (authenticated) and SM3."""
    from cryptography.hazmat.backends import default_backend
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers import algorithms, modes

    assert default_backend().cipher_supported(algorithms.SM4(bytes(16)), modes.GCM(bytes(12)))
    assert default_backend().hash_supported(hashes.SM3())


def test_sm4_round_trip_and_fresh_nonce_each_time(settings):
    _use(settings, HOURS_ID_CIPHER="sm4")
    number = make_id(1)
    one, two = crypto.encrypt(number), crypto.encrypt(number)
    assert one.startswith("sm4gcm:") and one != two  # a fresh nonce: equal numbers do not give equal tokens
    assert crypto.decrypt(one) == crypto.decrypt(two) == number
    assert number not in one


def test_sm4_token_that_was_altered_or_made_with_another_key_does_not_decrypt(settings):
    _use(settings, HOURS_ID_CIPHER="sm4")
    token = crypto.encrypt(make_id(1))
    body = token.removeprefix("sm4gcm:")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(InvalidToken):
        crypto.decrypt("sm4gcm:" + flipped)  # GCM's tag catches any change
    with pytest.raises(InvalidToken):
        crypto.decrypt("sm4gcm:AAAA")
    _use(settings, HOURS_SM4_KEYS=SM4_KEY_2)
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_sm4_key_rotation_keeps_old_tokens_readable(settings):
    _use(settings, HOURS_ID_CIPHER="sm4")
    old = crypto.encrypt(make_id(2))
    _use(settings, HOURS_SM4_KEYS=f"{SM4_KEY_2},{SM4_KEY}")
    assert crypto.decrypt(old) == make_id(2)
    rotated = crypto.rotate(old)
    _use(settings, HOURS_SM4_KEYS=SM4_KEY_2)
    assert crypto.decrypt(rotated) == make_id(2)


def test_fernet_stays_the_default_and_both_ciphers_read_each_other(settings):
    fernet_token = crypto.encrypt(make_id(3))
    assert FERNET_TOKEN.fullmatch(fernet_token)
    _use(settings, HOURS_ID_CIPHER="sm4")
    assert crypto.decrypt(fernet_token) == make_id(3)  # old data readable while it is rotated
    assert crypto.rotate(fernet_token).startswith("sm4gcm:")


@pytest.mark.parametrize("keys", ["abc", "00" * 15, "zz" * 16])
def test_malformed_sm4_keys_are_refused(settings, keys):
    _use(settings, HOURS_ID_CIPHER="sm4", HOURS_SM4_KEYS=keys)
    with pytest.raises(ImproperlyConfigured, match="32 hex digits"):
        crypto.encrypt(make_id(1))


def test_unknown_cipher_is_refused(settings):
    _use(settings, HOURS_ID_CIPHER="des")
    with pytest.raises(ImproperlyConfigured, match="HOURS_ID_CIPHER"):
        crypto.encrypt(make_id(1))


def _hmac_sm3(key: bytes, message: bytes) -> str:
    """RFC 2104 written out over hashlib's SM3, independent of the code under test."""
    block = 64
    key = key.ljust(block, b"\0")
    inner = hashlib.new("sm3", bytes(k ^ 0x36 for k in key) + message).digest()
    return hashlib.new("sm3", bytes(k ^ 0x5C for k in key) + inner).hexdigest()


def test_lookup_hash_sm3_is_hmac_sm3_and_sha256_stays_the_default(settings):
    assert hashlib.new("sm3", b"abc").hexdigest().startswith("66c7f0f4")  # GB/T 32905 example 1
    number = make_id(4)
    expected_sha = hmac.new(settings.HOURS_HASH_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()
    assert crypto.lookup_hash(number) == expected_sha
    _use(settings, HOURS_HASH_ALGORITHM="hmac-sm3")
    assert crypto.lookup_hash(number) == _hmac_sm3(settings.HOURS_HASH_KEY.encode(), number.encode())
    assert crypto.lookup_hash(number) != expected_sha
    assert crypto.lookup_hash(number) == crypto.lookup_hash(number)  # the keyed state is copied, not consumed


def _every_stored_text(exclude=()):
    """Every text and JSON value of every model (the columns an encrypted ID number could sit in)."""
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f.attname not in exclude
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                yield model, " ".join(str(v) for v in row)


@pytest.mark.django_db
def test_rotation_from_fernet_to_sm4_covers_every_column_holding_an_encrypted_id(settings):
    hw = HoursWorld()
    ingest_records(base=hw.b, records=[hw.record(1), hw.record(2)], source="api")
    # A queued batch holds encrypted ID numbers in its chunks until its worker runs (on commit, never here).
    queued, _outcome = services.batch_submit(base=hw.b, records=[hw.record(3)], source="excel")
    fernet_rows = [m.__name__ for m, text in _every_stored_text() if FERNET_TOKEN.search(text)]
    assert "Person" in fernet_rows and "IngestChunk" in fernet_rows  # the scan sees the Fernet tokens

    _use(settings, HOURS_ID_CIPHER="sm4")  # Fernet keys stay configured while rotating
    out = io.StringIO()
    call_command("rotate_id_keys", stdout=out)
    assert "re-encrypted 2 ID number(s) and 1 queued record(s)" in out.getvalue()

    _use(settings, HOURS_ID_KEYS="")  # now drop Fernet: everything must still be readable
    left = [m.__name__ for m, text in _every_stored_text() if FERNET_TOKEN.search(text)]
    assert left == []
    people = {crypto.decrypt(p.id_encrypted) for p in Person.objects.all()}
    assert people == {make_id(1), make_id(2)}
    assert all(p.id_encrypted.startswith("sm4gcm:") for p in Person.objects.all())
    (chunk,) = IngestChunk.objects.filter(batch=queued)
    assert payloads.opened(chunk.payload)[0]["id_number"] == make_id(3)
    # The look-up hash did not change: people are still found, and new ones are stored under SM4.
    assert Person.objects.filter(id_hash=crypto.lookup_hash(make_id(1))).exists()
    ingest_records(base=hw.b, records=[hw.record(4)], source="api")
    new = Person.objects.get(id_hash=crypto.lookup_hash(make_id(4)))
    assert new.id_encrypted.startswith("sm4gcm:") and crypto.decrypt(new.id_encrypted) == make_id(4)


@pytest.mark.django_db
def test_rehash_moves_the_lookup_hash_to_hmac_sm3(settings):
    hw = HoursWorld()
    ingest_records(base=hw.b, records=[hw.record(1)], source="api")
    _use(settings, HOURS_HASH_ALGORITHM="hmac-sm3")
    assert not Person.objects.filter(id_hash=crypto.lookup_hash(make_id(1))).exists()
    call_command("rotate_id_keys", "--rehash", stdout=io.StringIO())
    person = Person.objects.get(id_hash=crypto.lookup_hash(make_id(1)))
    assert person.id_hash == _hmac_sm3(settings.HOURS_HASH_KEY.encode(), make_id(1).encode())
    # Ingesting the same person again finds them rather than creating a second row.
    ingest_records(base=hw.b, records=[hw.record(1, external_id="again")], source="api")
    assert Person.objects.count() == 1
