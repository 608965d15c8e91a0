"""Rate limits (等保 2.0: resisting brute force and abuse of public forms): registration, sign-in, objections to a
公示 (R-17), misconduct reports and their receipt look-up (R-29), certificate verification (R-32), the API token and
the person look-up (R-31, R-32) answer 429 past their limit, counted per client IP (per user for look-ups) in the
shared cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from kit.ratelimits import parse_rate


@pytest.fixture(autouse=True)
def counting_cache(settings):
    """A real cache (the suite's default is a dummy that counts nothing), emptied before and after each test."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    cache.clear()
    yield
    cache.clear()


def _limit(settings, group, rate="2/m"):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: rate}


def _hit(client, method, url, n, **kwargs):
    return [getattr(client, method)(url, **kwargs).status_code for _i in range(n)]


def test_rate_strings_as_django_ratelimit_writes_them():
    assert parse_rate("10/m") == (10, 60)
    assert parse_rate("30/10m") == (30, 600)
    assert parse_rate("5/h") == (5, 3600)
    with pytest.raises(Exception, match="count/period"):
        parse_rate("ten a minute")


def test_registration_answers_429_with_a_chinese_page_past_its_limit(client, db, settings):
    _limit(settings, "register")
    codes = _hit(client, "post", reverse("accounts:register"), 2, data={"name": "x"})
    assert 429 not in codes  # refused as incomplete, but answered
    response = client.post(reverse("accounts:register"), {"name": "x"})
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert client.get(reverse("accounts:register")).status_code == 200  # reading the form is not counted


def test_sign_in_is_limited_per_ip_and_other_ips_are_not_affected(client, db, settings):
    _limit(settings, "login")
    url = reverse("accounts:login")
    data = {"username": "nobody", "password": "wrong"}
    assert 429 not in _hit(client, "post", url, 2, data=data, REMOTE_ADDR="10.0.0.1")
    assert client.post(url, data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, data, REMOTE_ADDR="10.0.0.2").status_code != 429


def test_limits_key_on_the_client_behind_the_trusted_proxy(client, db, settings):
    """Behind one proxy every request comes from the proxy's address: the limit counts the forwarded client."""
    settings.TRUSTED_PROXY_COUNT = 1
    _limit(settings, "login")
    url = reverse("accounts:login")
    data = {"username": "nobody", "password": "wrong"}
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    _hit(client, "post", url, 2, data=data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code != 429
    # A client cannot escape by writing its own X-Forwarded-For: the proxy appends the address it saw.
    spoofed = "198.51.100.1, 203.0.113.5"
    assert client.post(url, data, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429


def test_objections_are_limited(client, db, settings):
    _limit(settings, "objection", "1/h")
    url = reverse("publicity:objection", args=[2_000_000_000])
    assert client.post(url, {}).status_code == 404  # counted even when refused
    assert client.post(url, {}).status_code == 429


def test_misconduct_reports_and_receipt_lookups_are_limited(client, db, settings):
    _limit(settings, "report", "1/h")
    _limit(settings, "report_lookup", "2/m")
    report = reverse("bases:report_create", args=[2_000_000_000])
    assert client.post(report, {}).status_code == 404
    assert client.post(report, {}).status_code == 429
    lookup = reverse("bases:report_lookup")
    assert _hit(client, "get", lookup, 2, data={"code": "ABC"}) == [200, 200]
    assert client.get(lookup, {"code": "ABD"}).status_code == 429


def test_certificate_verification_is_limited(client, db, settings):
    _limit(settings, "hours_verify")
    url = reverse("hours:verify")
    assert _hit(client, "get", url, 2, data={"code": "X"}) == [200, 200]
    assert client.get(url, {"code": "Y"}).status_code == 429


def test_api_token_answers_429_json_past_its_limit(client, db, settings):
    _limit(settings, "api_token")
    url = reverse("api-token")
    body = {"username": "nobody", "password": "wrong"}
    assert _hit(client, "post", url, 2, data=body, content_type="application/json") == [400, 400]
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and "频繁" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0


def test_person_lookup_api_is_limited_per_user(client, db, settings, provincial_admin, cd_admin):
    _limit(settings, "person_lookup")
    url = reverse("api-hours-lookup")
    body = {"id_number": "510104199001011234", "year": 2026}
    client.force_login(provincial_admin)
    codes = _hit(client, "post", url, 3, data=body, content_type="application/json")
    assert 429 not in codes[:2] and codes[2] == 429
    client.force_login(cd_admin)  # another user at the same address has their own count
    assert client.post(url, body, content_type="application/json").status_code != 429


def test_person_lookup_page_is_limited_per_user(client, db, settings, provincial_admin):
    _limit(settings, "person_lookup", "1/m")
    client.force_login(provincial_admin)
    url = reverse("hours:lookup")
    assert client.post(url, {"id_number": "x", "year": "2026"}).status_code != 429
    assert client.post(url, {"id_number": "x", "year": "2026"}).status_code == 429
    assert client.get(url).status_code == 200  # the empty form is not counted


def test_without_a_rate_nothing_is_limited(client, db, settings):
    settings.RATE_LIMITS = {}
    assert 429 not in _hit(client, "get", reverse("hours:verify"), 5, data={"code": "X"})


def test_counts_live_in_the_cache_so_clearing_it_resets_them(client, db, settings):
    """What the autouse fixture relies on to keep one test's counts out of the next."""
    _limit(settings, "hours_verify", "1/h")
    url = reverse("hours:verify")
    assert _hit(client, "get", url, 2, data={"code": "X"}) == [200, 429]
    cache.clear()
    assert client.get(url, {"code": "X"}).status_code == 200
