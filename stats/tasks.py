from celery import shared_task

from .scope import current_year
from .services import figures_precompute


@shared_task(bind=True, acks_late=True, max_retries=2)
def precompute_figures(self):
    """Store this year's and last year's hours figures (the dashboard shows both); safe to re-run."""
    year = current_year()
    try:
        return {y: figures_precompute(year=y) for y in (year, year - 1)}
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=600) from exc
