"""The client IP (等保 2.0: audit records carry the source address) comes from the configured number of trusted
proxies, the same for the audit trail, sign-in lockouts (axes) and rate limits; X-Forwarded-Proto is believed
only behind a configured proxy."""

import subprocess
import sys

import pytest
from django.test import RequestFactory

from audit.context import client_ip_from_request
from audit.models import AuditEvent
from kit.net import client_ip
from tests.portal.test_shell import ROOT, _production_env

rf = RequestFactory()


def _request(remote="172.18.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded="203.0.113.5")) == "203.0.113.5"
    # A client-written prefix is ignored: the proxy's own entry is the right-most one.
    assert client_ip(_request(forwarded="198.51.100.1, 203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(forwarded="198.51.100.1, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"


def test_a_request_that_bypassed_the_proxy_falls_back_to_remote_addr(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("172.18.0.9")) == "172.18.0.9"
    assert client_ip(_request("172.18.0.9", "not an address")) == "172.18.0.9"


def test_audit_trail_axes_and_rate_limits_read_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    from kit.net import ratelimit_key

    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded="203.0.113.5")
    assert client_ip_from_request(request) == "203.0.113.5"
    assert get_client_ip_address(request) == "203.0.113.5"
    assert ratelimit_key("login", request) == "203.0.113.5"


@pytest.mark.django_db
def test_a_failed_sign_in_is_audited_with_the_forwarded_client(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR="172.18.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    event = AuditEvent.objects.filter(action__startswith="auth.").latest("pk")
    assert event.ip_address == "203.0.113.5"


def _proxy_header_setting(count):
    env = _production_env()
    env.update(
        TRUSTED_PROXY_COUNT=count,
        HOURS_ID_KEYS="b0pXx1nFvI8y4o4d4Yt3xKj0a3rV6tXQ7m1c2s5u8wE=",
        HOURS_HASH_KEY="x" * 40,
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout.strip()


def test_x_forwarded_proto_is_trusted_only_behind_a_configured_proxy():
    assert _proxy_header_setting("0") == "None"
    assert _proxy_header_setting("1") == "('HTTP_X_FORWARDED_PROTO', 'https')"
