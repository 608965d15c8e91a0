"""The cockpit (/statistics/) for staff, its Excel exports, and the public open data (/statistics/public/).

Views parse the filters, build the Scope (stats.scope: the jurisdiction, never computed here) and read the
figures through stats.selectors; templates only show them.
"""

import csv
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bases.models import Base
from kit.cache import public_cache
from kit.errors import NotVisible, PermissionRefused
from kit.excel import excel_response, safe_cell

from . import figures
from .forms import FilterForm
from .scope import authorities_of, base_scope_for, current_year, prefectures, province_scope, scope_for
from .selectors import figure_rows, key_figures, with_previous
from .tables import BY_KEY, CHART_VALUE, PREVIOUS_FIELDS, PUBLIC_TABLES, TABLES


def _filters(request) -> dict:
    form = FilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest(" ".join(str(e) for errors in form.errors.values() for e in errors))
    data = form.cleaned_data
    return {
        "year": data.get("year") or current_year(),
        "authority_id": data.get("authority"),
        "prefecture": data.get("prefecture") or "",
    }


def _scope(request):
    filters = _filters(request)
    try:
        return scope_for(request.user, **filters), filters
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    except NotVisible as exc:
        raise Http404(exc.message) from exc


def _table_rows(table, scope) -> tuple[list[dict], object]:
    rows, computed_at = figure_rows(table.section, scope, table.group_by)
    previous, _at = figure_rows(table.section, scope.with_year(scope.year - 1), table.group_by)
    return with_previous(rows, previous, PREVIOUS_FIELDS[table.section]), computed_at


def _chart(table, rows, year) -> dict:
    """What the chart script draws: labels and this year's and last year's values (the table holds the same)."""
    value = CHART_VALUE[table.section]
    rows = [r for r in rows if r["key"] != "national"] if table.key == "bases.level" else rows
    return {
        "type": table.chart,
        "year": year,
        "title": str(table.title),
        "labels": [r["label"] for r in rows],
        "codes": [r["key"] for r in rows],
        "values": [r.get(value) or 0 for r in rows],
        "previous": [r.get(f"previous_{value}") or 0 for r in rows],
    }


def _shown(table, rows, year, columns=None) -> dict:
    """A table as the template shows it: its rows with their cells in the columns' order, and its chart."""
    columns = columns or table.columns
    shown = rows[: table.limit] if table.limit else rows
    return {
        "table": table,
        "chart_id": f"{table.dom_id}-data",
        "headers": [header for _f, header in columns],
        "rows": [{**r, "cells": [_cell(r.get(field)) for field, _h in columns]} for r in shown],
        "more": len(rows) - len(shown),
        "chart": _chart(table, rows, year) if table.chart != "none" else None,
    }


def _cell(value) -> str:
    """A number as the tables show it: one decimal where it has one, a dash for none (formatted here: the
    floatformat filter over thousands of cells cost a third of the page's time)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _query(filters, **changes) -> str:
    params = {
        "year": filters["year"],
        "authority": filters["authority_id"] or "",
        "prefecture": filters["prefecture"],
    }
    params.update(changes)
    return urlencode({k: v for k, v in params.items() if v})


def _digest(scope, *extra) -> str:
    return hashlib.sha256(repr((scope, get_language(), *extra)).encode()).hexdigest()


def _dashboard_figures(scope) -> dict:
    """Every figure the dashboard shows for the scope, kept for STATS_CACHE_SECONDS (a minute by default): the
    page is the same for everyone of the jurisdiction, and a change shows within a minute."""
    key = "stats:dashboard:" + _digest(scope)
    found = cache.get(key)
    if found is not None:
        return found
    tables, computed = [], []
    for table in TABLES:
        rows, computed_at = _table_rows(table, scope)
        computed.append(computed_at)
        tables.append(_shown(table, rows, scope.year))
    found = {
        "figures": key_figures(scope),
        "previous_figures": key_figures(scope.with_year(scope.year - 1)),
        "tables": tables,
        "map_rows": _map_rows(tables),
        "applications": figures.applications_by_batch(scope),
        "missing": list(figures.plans_missing(scope)),
        "excellent": list(figures.excellent_bases(scope)[:50]),
        "computed_at": min(computed),
    }
    if settings.STATS_CACHE_SECONDS:
        cache.set(key, found, settings.STATS_CACHE_SECONDS)
    return found


@login_required
def dashboard(request):
    """Figures of the user's jurisdiction for a year, the previous year beside it, each chart with its table."""
    scope, filters = _scope(request)
    if scope.institution_ids is not None:
        raise PermissionDenied  # institutions read their bases' figures on their base pages
    data = _dashboard_figures(scope)
    context = {
        **data,
        "filters": filters,
        "query": _query(filters),
        "years": list(range(current_year() + 1, 2017, -1)),
        "authorities": authorities_of(request.user),
        "prefectures": prefectures(),
        "map_data": {"rows": data["map_rows"], "url": "?" + _query(filters, prefecture="__code__")},
        # The tables' HTML is the same for everyone of the jurisdiction and these filters: kept as long as the
        # figures (the template's fragment cache), rendering 17 tables is most of the page's time.
        "fragment_key": _digest(scope, _query(filters)),
        "cache_seconds": settings.STATS_CACHE_SECONDS,
        "active_nav": "statistics",
    }
    return render(request, "stats/dashboard.html", context)


# The tables of one base's page: its plan, supervision and hours (a base has no prefecture or authority spread).
BASE_PAGE_TABLES = [
    "supervision.result",
    "supervision.item",
    "supervision.rating",
    "supervision.rectification",
    "hours.prefecture",
    "hours.subject",
    "hours.month",
    "hours.region_kind",
]


@login_required
def base_figures(request, pk):
    """One base's figures for a year, for its institution's staff and the authorities that see it (R-03)."""
    year = _filters(request)["year"]
    try:
        scope = base_scope_for(request.user, base_id=pk, year=year)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    except NotVisible as exc:
        raise Http404(exc.message) from exc
    tables = []
    for key in BASE_PAGE_TABLES:
        table = BY_KEY[key]
        rows, _at = _table_rows(table, scope)
        tables.append(_shown(table, rows, scope.year))
    context = {
        "base": Base.objects.get(pk=pk),
        "year": scope.year,
        "years": list(range(current_year() + 1, 2017, -1)),
        "figures": key_figures(scope),
        "previous_figures": key_figures(scope.with_year(scope.year - 1)),
        "tables": tables,
        "computed_at": timezone.now(),
    }
    return render(request, "stats/base.html", context)


def _map_rows(tables) -> list[dict]:
    """One row per prefecture: bases, filing rate and trainees' hours, for the map and its table."""
    by = {t["table"].key: {r["key"]: r for r in t["rows"]} for t in tables}
    rows = []
    for code, base_row in by["bases.prefecture"].items():
        if not code:
            continue
        rows.append(
            {
                "code": code,
                "name": base_row["label"],
                "bases": base_row["count"],
                "rate": by["plans.prefecture"].get(code, {}).get("rate"),
                "hours": by["hours.prefecture"].get(code, {}).get("hours", 0),
            }
        )
    return rows


def _excel_rows(table, rows):
    for r in rows:
        yield [r["key"], r["label"], *(r.get(field) for field, _header in table.columns)]


@login_required
def export(request):
    """One table of the dashboard as a workbook, for the same filters (and so the same jurisdiction)."""
    scope, filters = _scope(request)
    key = request.GET.get("table", "")
    if key == "applications":
        result = figures.applications_by_batch(scope)
        stages = result["stages"]
        return excel_response(
            filename=f"statistics-applications-{scope.year}.xlsx",
            title=_("申报批次"),
            headers=[_("批次"), _("申报数"), *(label for _s, label in stages), _("通过率（%）")],
            rows=(
                [r["label"], r["count"], *(r["stages"][s] for s, _l in stages), r["pass_rate"]]
                for r in result["rows"]
            ),
        )
    if key == "plans.missing":
        return excel_response(
            filename=f"statistics-plans-missing-{scope.year}.xlsx",
            title=_("未报送年度计划的基地"),
            headers=[_("基地"), _("批准部门"), _("所在市（州）"), _("计划状态")],
            rows=(
                [
                    b.name,
                    b.approving_authority.name,
                    b.prefecture.name if b.prefecture else "",
                    b.plan_state or "",
                ]
                for b in figures.plans_missing(scope, limit=None)
            ),
        )
    table = BY_KEY.get(key)
    if table is None:
        raise BadRequest(_("没有该统计表。"))
    rows, _at = _table_rows(table, scope)
    return excel_response(
        filename=f"statistics-{key.replace('.', '-')}-{scope.year}.xlsx",
        title=str(table.title),
        headers=[_("代码"), _("名称"), *(header for _f, header in table.columns)],
        rows=_excel_rows(table, rows),
    )


def _public_year(request) -> int:
    form = FilterForm({"year": request.GET.get("year", "")})
    if not form.is_valid():
        raise BadRequest(_("年度有误。"))
    return form.cleaned_data.get("year") or current_year()


@public_cache
def public(request):
    """Open data (R-02, R-25, R-27): bases by prefecture, level and field, published inspection and assessment
    results; counts only, no personal data."""
    year = _public_year(request)
    scope = province_scope(year)
    tables = []
    for table in PUBLIC_TABLES:
        rows = figures.public_rows(scope, table.section, table.group_by)
        tables.append(_shown(table, rows, year, columns=table.columns[:1]))
    context = {
        "year": year,
        "years": list(range(current_year(), 2017, -1)),
        "tables": tables,
        "computed_at": timezone.now(),
        "active_nav": "open_data",
    }
    return render(request, "stats/public.html", context)


def public_download(request):
    """One public table as CSV (UTF-8 with BOM, so that Excel reads the Chinese) or Excel."""
    year = _public_year(request)
    table = BY_KEY.get(request.GET.get("table", ""))
    fmt = request.GET.get("format", "csv")
    if table is None or not table.public or fmt not in ("csv", "xlsx"):
        raise BadRequest(_("没有该开放数据表。"))
    rows = figures.public_rows(province_scope(year), table.section, table.group_by)
    headers = [_("代码"), _("名称"), _("数量")]
    data = ([r["key"], r["label"], r["count"]] for r in rows)
    filename = f"open-data-{table.key.replace('.', '-')}-{year}"
    if fmt == "xlsx":
        return excel_response(filename=f"{filename}.xlsx", title=str(table.title), headers=headers, rows=data)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(headers)
    for row in data:
        writer.writerow([safe_cell(v) for v in row])
    return response
