from datetime import date

from celery import shared_task

from .services import outbound_email_send


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_notification_email(self, outbound_id: int):
    """Send one e-mail; on failure retry with exponential back-off (1, 2, 4, 8, 16 minutes)."""
    try:
        outbound_email_send(outbound_id=outbound_id)
    except Exception as exc:
        if self.request.is_eager:
            return  # inline mode (no broker): the failure is recorded on the outbound row; do not break the request
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def send_due_reminders(date_iso: str | None = None):
    """The daily beat job (08:00 Asia/Shanghai): send every reminder that is due, each exactly once."""

    from .reminders import send_due_reminders as run

    result = run(today=date.fromisoformat(date_iso) if date_iso else None)
    return {"sent": len(result.sent), "skipped": result.skipped}
