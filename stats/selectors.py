"""Every figure by section and grouping, for the API, the dashboard and the exports: one place that knows which
function computes what, and whether the rows are stored ahead (stats.snapshots) or computed now."""

from django.utils import timezone

from . import figures, snapshots
from .hours_figures import HOURS_GROUPS
from .scope import Scope

GROUPS = {
    "bases": figures.BASE_GROUPS,
    "plans": figures.PLAN_GROUPS,
    "supervision": figures.SUPERVISION_GROUPS,
    "hours": HOURS_GROUPS,
}


def figure_rows(section: str, scope: Scope, group_by: str) -> tuple[list[dict], object]:
    """Return the rows of one figure and the time they were computed."""
    if group_by not in GROUPS[section]:
        raise ValueError(group_by)
    if section == "hours":
        return snapshots.hours_by(scope, group_by)
    compute = {"bases": figures.bases_by, "plans": figures.plans_by, "supervision": figures.supervision_by}
    return compute[section](scope, group_by), timezone.now()


def with_previous(rows: list[dict], previous: list[dict], fields=("count",)) -> list[dict]:
    """Put the previous year's value of each field beside this year's (`previous_<field>`), matched by key."""
    before = {r["key"]: r for r in previous}
    return [{**r, **{f"previous_{f}": before.get(r["key"], {}).get(f, 0) for f in fields}} for r in rows]


def key_figures(scope: Scope) -> dict:
    """The few figures 我的待办 starts with: bases, filing, supervision and hours of the scope's year."""
    hours, computed_at = snapshots.hours_summary(scope)
    return {
        "year": scope.year,
        "bases": figures.bases_summary(scope),
        "plans": figures.plans_summary(scope),
        "supervision": figures.supervision_summary(scope),
        "hours": hours,
        "hours_computed_at": computed_at,
    }
