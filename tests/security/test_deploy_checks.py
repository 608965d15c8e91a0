"""`manage.py check --deploy` refuses a deployment without the hours keys (R-31: ID numbers encrypted and hashed)
or with a rate-limit cache the workers do not share."""

import subprocess
import sys

import pytest

from hours.checks import check_id_keys
from portal.checks import check_rate_limit_cache
from tests.portal.test_shell import ROOT, _production_env

FERNET_KEY = "b0pXx1nFvI8y4o4d4Yt3xKj0a3rV6tXQ7m1c2s5u8wE="


def _ids(errors):
    return sorted(e.id for e in errors)


@pytest.fixture
def production_keys(settings):
    settings.HOURS_ID_KEYS = FERNET_KEY
    settings.HOURS_HASH_KEY = "a-production-hash-key"
    settings.HOURS_SM4_KEYS = ""
    settings.HOURS_ID_CIPHER = "fernet"
    settings.HOURS_HASH_ALGORITHM = "hmac-sha256"


def test_keys_of_a_deployment_pass(production_keys):
    assert check_id_keys() == []


def test_missing_id_keys_fail(production_keys, settings):
    settings.HOURS_ID_KEYS = ""
    assert _ids(check_id_keys()) == ["hours.E001"]


def test_missing_hash_key_fails(production_keys, settings):
    settings.HOURS_HASH_KEY = ""
    assert _ids(check_id_keys()) == ["hours.E002"]


def test_sm4_needs_its_keys_and_well_formed_ones(production_keys, settings):
    settings.HOURS_ID_CIPHER = "sm4"
    assert _ids(check_id_keys()) == ["hours.E001"]
    settings.HOURS_SM4_KEYS = "not-hex"
    assert _ids(check_id_keys()) == ["hours.E001", "hours.E001"]
    settings.HOURS_SM4_KEYS = "ab" * 16
    assert check_id_keys() == []


def test_unknown_algorithms_and_development_keys_fail(production_keys, settings):
    settings.HOURS_HASH_ALGORITHM = "md5"
    assert _ids(check_id_keys()) == ["hours.E003"]
    settings.HOURS_HASH_ALGORITHM = "hmac-sm3"
    settings.HOURS_HASH_KEY = "dev-only-hash-key"
    assert _ids(check_id_keys()) == ["hours.E004"]


def test_a_per_process_rate_limit_cache_fails(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert _ids(check_rate_limit_cache()) == ["portal.E001"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
    }
    assert check_rate_limit_cache() == []


def _check_deploy(**changes):
    env = _production_env()
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "check_id"), [("HOURS_ID_KEYS", "hours.E001"), ("HOURS_HASH_KEY", "hours.E002")]
)
def test_check_deploy_exits_non_zero_without_the_hours_keys(missing, check_id):
    result = _check_deploy(**{missing: None})
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_check_deploy_exits_non_zero_without_a_shared_cache():
    result = _check_deploy(CACHE_URL=None)
    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout
