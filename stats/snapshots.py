"""Reads of the precomputed figures (stats.models.FigureSnapshot), falling back to the live aggregate."""

from django.utils import timezone

from . import hours_figures
from .models import FigureSnapshot
from .scope import Scope

SUMMARY = "summary"


def _stored(scope: Scope, section: str, group_by: str):
    if not scope.key:
        return None
    return (
        FigureSnapshot.objects.filter(
            year=scope.year, scope_key=scope.key, section=section, group_by=group_by
        )
        .only("rows", "computed_at")
        .first()
    )


def hours_by(scope: Scope, group_by: str) -> tuple[list[dict], object]:
    """Return the hours rows of the scope and the time they were computed: stored ones where the daily job
    computed them, else computed now."""
    stored = _stored(scope, "hours", group_by)
    if stored is not None:
        rows = [{**r, "label": hours_figures.label_of(group_by, r["key"], r["label"])} for r in stored.rows]
        return rows, stored.computed_at
    return hours_figures.hours_by_live(scope, group_by), timezone.now()


def hours_summary(scope: Scope) -> tuple[dict, object]:
    stored = _stored(scope, "hours", SUMMARY)
    if stored is not None:
        return {**stored.rows, "label": hours_figures.label_of(SUMMARY, "total", "")}, stored.computed_at
    return hours_figures.hours_summary_live(scope), timezone.now()
