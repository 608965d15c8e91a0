from celery import shared_task

from .services import batch_prepare_excel, batch_process


@shared_task(bind=True, acks_late=True, max_retries=3)
def process_batch(self, batch_id: str):
    """Apply a stored batch chunk by chunk; safe to run again after a crash (it resumes)."""
    try:
        batch = batch_process(batch_id=batch_id)
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=30) from exc
    return {"processed": batch.processed, "refused": len(batch.refused)}


@shared_task(bind=True, acks_late=True, max_retries=3)
def process_excel(self, batch_id: str):
    try:
        batch = batch_prepare_excel(batch_id=batch_id)
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=30) from exc
    return {"processed": batch.processed, "refused": len(batch.refused)}
