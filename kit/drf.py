"""DRF plumbing named in settings: kept free of view imports so DRF can load it early."""

import django_filters
from django import forms
from rest_framework import pagination
from rest_framework.response import Response

from .errors import DomainError
from .ints import MAX_ID


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Map domain errors to 400/403/404/409 with a message; everything else as DRF does."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field_errors:
            body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)


class _IntegerFilter(django_filters.NumberFilter):
    """A NumberFilter that accepts whole numbers only (the default accepts decimals)."""

    field_class = forms.IntegerField


def id_filter(**kwargs):
    """A filter on an id: digits only, within an integer column's range (400 otherwise, never a 500)."""
    return _IntegerFilter(min_value=1, max_value=MAX_ID, **kwargs)


def year_filter(**kwargs):
    """A filter on a plan/assessment year, bounded to plausible years."""
    return _IntegerFilter(min_value=2000, max_value=2100, **kwargs)
