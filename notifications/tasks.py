from datetime import date

from celery import shared_task

from kit.tasks import once_per_day

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
    """The daily beat job (08:00 Asia/Shanghai): send every reminder that is due, each exactly once. A run for
    another day (date_iso, by hand) is not the beat's and takes no lock."""
    if date_iso:
        return _send_due_reminders(date.fromisoformat(date_iso))
    return _daily_reminders()


@once_per_day("send_due_reminders")
def _daily_reminders():
    return _send_due_reminders(None)


def _send_due_reminders(today):
    from .reminders import send_due_reminders as run

    result = run(today=today)
    return {"sent": len(result.sent), "skipped": result.skipped}
