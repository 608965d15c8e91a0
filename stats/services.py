"""Writes of stats: the daily precomputation of the figures too slow to aggregate live."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts.models import Region
from bases.models import Base

from . import hours_figures
from .models import FigureSnapshot
from .scope import Scope
from .snapshots import SUMMARY

logger = logging.getLogger(__name__)


def precomputed_scopes(year: int) -> list[Scope]:
    """The scopes stored ahead: the province, each prefecture, and each authority that approved a base."""
    scopes = [Scope(year)]
    scopes += [
        Scope(year, prefecture=code)
        for code in Region.objects.filter(level=Region.Level.PREFECTURE).values_list("code", flat=True)
    ]
    authorities = Base.objects.order_by().values_list("approving_authority_id", flat=True).distinct()
    scopes += [Scope(year, authority_ids=frozenset({pk})) for pk in sorted(authorities)]
    return scopes


def figures_precompute(*, year: int, actor=None) -> int:
    """Compute and store the hours figures of every precomputed scope for the year; return how many rows were
    stored. Idempotent: a re-run replaces the rows (one transaction per scope, so readers never see half)."""
    return sum(figures_precompute_scope(year=year, scope=scope) for scope in precomputed_scopes(year))


def figures_precompute_scope(*, year: int, scope: Scope, actor=None) -> int:
    """Compute and store the hours figures of one scope (a few minutes at 10 M records for the province, so
    the nightly job runs one task per scope, each within the worker's time limit)."""
    stored = 0
    computed_at = timezone.now()
    figures = {SUMMARY: hours_figures.hours_summary_live(scope)}
    for group_by in hours_figures.HOURS_GROUPS:
        figures[group_by] = hours_figures.hours_by_live(scope, group_by)
    with transaction.atomic():
        for group_by, rows in figures.items():
            FigureSnapshot.objects.update_or_create(
                year=year,
                scope_key=scope.key,
                section="hours",
                group_by=group_by,
                defaults={"rows": rows, "computed_at": computed_at},
            )
            stored += 1
    logger.info("stats: stored %d figure snapshots of %s for %d", stored, scope.key, year)
    return stored
