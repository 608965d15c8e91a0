"""Notify users: an in-app message for each, and an e-mail sent by a worker after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification, OutboundEmail


def notify(*, users, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create an inbox message per active user and queue its e-mail on commit."""
    created = []
    seen = set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)
        created.append(note)
        if user.email:
            email = OutboundEmail.objects.create(notification=note, to=user.email)
            transaction.on_commit(lambda pk=email.pk: _enqueue(pk))
    return created


def _enqueue(outbound_id: int) -> None:
    from .tasks import send_notification_email

    send_notification_email.delay(outbound_id)


def outbound_email_send(*, outbound_id: int) -> OutboundEmail:
    """Send one queued e-mail and record the attempt. Raise after recording a failure, so the task retries."""
    error = None
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().select_related("notification").get(pk=outbound_id)
        if email.status == OutboundEmail.Status.SENT:
            return email  # a retried or duplicated task sends nothing twice
        email.attempts += 1
        note = email.notification
        link = f"\n\n{settings.PORTAL_BASE_URL}{note.url}" if note.url else ""
        try:
            send_mail(
                subject=f"【{settings.PORTAL_NAME}】{note.title}",
                message=f"{note.body}{link}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email.to],
            )
        except Exception as exc:  # noqa: BLE001  (any transport failure is recorded and retried)
            error = exc
            email.status = OutboundEmail.Status.FAILED
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            email.save(update_fields=["attempts", "status", "last_error"])
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    # Raised outside the transaction, so the record of the failed attempt is kept.
    if error is not None:
        raise error
    return email


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's messages, or all of them, as read; return how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
