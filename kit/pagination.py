"""Pagination for pages: numbered for small lists, keyset (cursor) for big, growing tables."""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from .ints import safe_int


def paginate(request, queryset, per_page=20):
    """Return the requested page of a queryset; a bad page number falls back to the first or last page."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: int | None
    has_previous: bool


def keyset_paginate(request, queryset, per_page=50, param="before"):
    """Return rows with id below the cursor, newest first, without a COUNT(*) over the table."""
    qs = queryset.order_by("-id")
    cursor = request.GET.get(param)
    cursor = safe_int(cursor, hi=2**63 - 1)
    if cursor is not None:
        qs = qs.filter(id__lt=cursor)
    rows = list(qs[: per_page + 1])
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows, next_cursor=rows[-1].id if has_more else None, has_previous=bool(cursor)
    )
