"""DRF plumbing named in settings: kept free of view imports so DRF can load it early."""

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .errors import DomainError
from .ints import MAX_ID


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
