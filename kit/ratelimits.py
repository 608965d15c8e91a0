"""Rate limits of public and sensitive forms (django-ratelimit), counted in the shared cache per client IP.

Rates live in settings.RATE_LIMITS and are read on every request, so a deployment (and a test) can change them;
past its limit a view raises Ratelimited, which the RatelimitMiddleware turns into a 429 (RATELIMIT_VIEW). The API
uses DRF throttles over the same rates (kit.drf.throttle).
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def rate_for(group, request=None) -> str | None:
    """The rate of a limit group (django-ratelimit calls this with the group and the request); None: no limit."""
    return settings.RATE_LIMITS.get(group) or None


def parse_rate(rate: str) -> tuple[int, int]:
    """Return (count, seconds) of "count/period", period as django-ratelimit writes it: s, m, h, d, or 10m."""
    match = _RATE.match(rate.strip())
    if match is None:
        raise ImproperlyConfigured(f"Rate {rate!r} is not count/period (e.g. 10/m, 30/10m).")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _PERIODS[unit]


def limit(group: str, *, method=ALL, per_user: bool = False):
    """Decorate a view with the limit RATE_LIMITS[group], counting requests of `method` per client IP (or per
    signed-in user with per_user, for staff pages that a whole office reaches through one address)."""
    key = "kit.net.ratelimit_user_key" if per_user else "kit.net.ratelimit_key"
    return ratelimit(group=group, key=key, rate="kit.ratelimits.rate_for", method=method)
