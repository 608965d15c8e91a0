"""The request facts an audit event records (the client IP), carried without passing `request` to services."""

import contextvars

from kit.net import client_ip

_client_ip = contextvars.ContextVar("audit_client_ip", default=None)


def set_client_ip(ip):
    return _client_ip.set(ip)


def reset_client_ip(token):
    _client_ip.reset(token)


def current_client_ip():
    return _client_ip.get()


def client_ip_from_request(request):
    # The configured trusted proxies decide (kit.net), the same rule axes and the rate limits use.
    return client_ip(request)
