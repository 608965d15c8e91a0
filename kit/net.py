"""The client's IP address, read the same way by sign-in lockouts (axes), rate limits and the audit trail.

Only the number of reverse proxies the deployment declares (TRUSTED_PROXY_COUNT) is trusted: each proxy appends
the address it saw to X-Forwarded-For, so the client is the entry that many places from the right. Whatever a
client writes into the header itself lies further left and is ignored. Without a declared proxy the header is
not read at all and REMOTE_ADDR is the client.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """Return the client's address for this request (None when the server saw none)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    # ipware counts the proxies listed in the header; the nearest proxy is REMOTE_ADDR and is not listed. Not
    # strict: a client-written prefix makes the chain longer than expected, and the right-hand entries still hold.
    ip, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=count - 1,
        strict=False,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
    )
    # A request that reached gunicorn without the proxy (a health check on the container) has no header.
    return ip or remote


def ratelimit_key(group, request) -> str:
    """django-ratelimit key: the client address (`key="kit.net.ratelimit_key"`)."""
    return client_ip(request) or "unknown"


def ratelimit_user_key(group, request) -> str:
    """django-ratelimit key: the signed-in user, else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user-{user.pk}"
    return ratelimit_key(group, request)
