from celery import shared_task

from kit.tasks import once_per_day

from .scope import Scope, current_year
from .services import figures_precompute_scope, precomputed_scopes


@shared_task
@once_per_day("precompute_figures")
def precompute_figures():
    """Queue one task per precomputed scope for this year and last (the dashboard shows both): each stays within
    the worker's time limit (CELERY_TASK_SOFT_TIME_LIMIT) at province scale. Return how many were queued. Once a
    day: a second beat firing it does nothing (kit.tasks)."""
    year = current_year()
    queued = 0
    for y in (year, year - 1):
        for scope in precomputed_scopes(y):
            precompute_scope.delay(y, scope.key)
            queued += 1
    return queued


@shared_task(bind=True, acks_late=True, max_retries=2)
def precompute_scope(self, year: int, scope_key: str):
    """Store one scope's hours figures of a year; safe to re-run (the rows are replaced)."""
    try:
        return figures_precompute_scope(year=year, scope=Scope.from_key(year, scope_key))
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=600) from exc
