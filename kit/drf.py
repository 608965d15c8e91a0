"""DRF plumbing named in settings: kept free of view imports so DRF can load it early."""

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, parsers, throttling
from rest_framework.exceptions import ParseError, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from .errors import DomainError
from .ints import MAX_ID
from .net import client_ip
from .ratelimits import parse_rate


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Answer every refusal with one body: `detail` (a message) plus, for refused input, the fields' errors."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field_errors:
            body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Throttled):
        response.data = {"detail": _("请求过于频繁，请稍后再试。"), "code": "throttled"}
        if exc.wait:
            response.data["retry_after"] = int(exc.wait + 0.999)
    if response is not None and isinstance(exc, ValidationError):
        response.data = _with_detail(response.data)
    return response


def _with_detail(data):
    # DRF answers refused input with the field errors alone (or a bare list): clients get `detail` too.
    if isinstance(data, list):
        return {"detail": " ".join(str(m) for m in data), "non_field_errors": data}
    if "detail" not in data:
        return {"detail": _("输入有误，请按提示修改。"), **data}
    return data


@extend_schema_field(OpenApiTypes.INT)
class _IntegerFilter(django_filters.NumberFilter):
    """A NumberFilter that accepts whole numbers only (the default accepts decimals)."""

    field_class = forms.IntegerField


def id_filter(**kwargs):
    """A filter on an id: digits only, within an integer column's range (400 otherwise, never a 500)."""
    return _IntegerFilter(min_value=1, max_value=MAX_ID, **kwargs)


def year_filter(**kwargs):
    """A filter on a plan/assessment year, bounded to plausible years."""
    return _IntegerFilter(min_value=2000, max_value=2100, **kwargs)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) a body nested deeper than JSON_MAX_DEPTH or holding a NUL character.

    Deep nesting would otherwise end in a RecursionError (a 500) in the decoder or in whatever walks the data
    later, and PostgreSQL refuses NUL in text. Costs a walk over the containers (a few ms for 10,000 records);
    strings are looked at only when the body has a \\u0000 escape, the one way JSON can carry a NUL.
    """

    walk = True  # False: the view checks the type of every value it reads (TypedJSONParser)

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            data = drf_json.loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层数过多。")) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if self.walk:
            _check_json(data, settings.JSON_MAX_DEPTH, strings="\\u0000" in text)
        return data


class TypedJSONParser(JSONParser):
    """For a view that checks the exact type of every value it reads and refuses control characters in every
    string it keeps (hours ingestion, hours.ingest.parse): a nested or NUL-bearing value there is refused by those
    checks, record by record, so the walk over 10,000 records (about 8 ms of a request) is skipped. A body too deep
    for the decoder is still a 400."""

    walk = False


def _check_json(data, max_depth: int, *, strings: bool) -> None:
    # Iterative, so the check itself cannot recurse too deep; only containers go on the stack.
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if type(value) is dict:
            if strings and any("\x00" in key for key in value if type(key) is str):
                raise ParseError(_NUL_MESSAGE)
            children = value.values()
        elif type(value) is list:
            children = value
        else:
            continue
        if depth > max_depth:
            raise ParseError(_("JSON 嵌套层数过多（最多 %(n)d 层）。") % {"n": max_depth})
        for item in children:
            kind = type(item)
            if kind is dict or kind is list:
                stack.append((item, depth + 1))
            elif strings and kind is str and "\x00" in item:
                raise ParseError(_NUL_MESSAGE)


_NUL_MESSAGE = gettext_lazy("请求中含有不允许的空字符（NUL），请检查输入。")


class RateThrottle(throttling.SimpleRateThrottle):
    """A throttle over settings.RATE_LIMITS[scope], read per request; per user when signed in, else per IP.

    The API counterpart of kit.ratelimits: same rates, same cache, same client IP (kit.net).
    """

    scope = ""

    def __init__(self):
        # SimpleRateThrottle reads its rate once at construction from DEFAULT_THROTTLE_RATES; ours is read here.
        self.rate = self.get_rate()
        self.num_requests, self.duration = parse_rate(self.rate) if self.rate else (None, None)

    def get_rate(self):
        return settings.RATE_LIMITS.get(self.scope) or None

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = (
            f"user-{user.pk}" if user is not None and user.is_authenticated else client_ip(request._request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


def throttle(scope: str) -> type[RateThrottle]:
    """The throttle class of one RATE_LIMITS entry, for `@throttle_classes([throttle("api_token")])`."""
    return type(f"RateThrottle_{scope}", (RateThrottle,), {"scope": scope})
