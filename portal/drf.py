"""DRF plumbing named in settings: kept free of view imports so DRF can load it early."""

from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Map domain errors to 400/403/404/409 with a message; everything else as DRF does."""
    from rest_framework.views import exception_handler as drf_exception_handler

    from accounts.errors import DomainError

    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field_errors:
            body.update(exc.field_errors)
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
