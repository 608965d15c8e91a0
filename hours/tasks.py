from celery import shared_task

from .services import batch_prepare_excel, batch_process


def _run_retrying(task, step, batch_id: str) -> dict:
    """Run one step of a stored batch; on any error retry it in 30 s, except when run eagerly (the caller sees
    the error)."""
    try:
        batch = step(batch_id=batch_id)
    except Exception as exc:
        if task.request.is_eager:
            raise
        raise task.retry(exc=exc, countdown=30) from exc
    return {"processed": batch.processed, "refused": batch.refused_count}


@shared_task(bind=True, acks_late=True, max_retries=3)
def process_batch(self, batch_id: str):
    """Apply a stored batch chunk by chunk; safe to run again after a crash (it resumes)."""
    return _run_retrying(self, batch_process, batch_id)


@shared_task(bind=True, acks_late=True, max_retries=3)
def process_excel(self, batch_id: str):
    """Read a stored workbook into chunks (once), then apply them like an API batch."""
    return _run_retrying(self, batch_prepare_excel, batch_id)
