"""Notify users: an in-app message for each, and an e-mail sent by a worker after the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kit.text import single_line

from .kinds import KINDS, group_of
from .models import Notification, OutboundEmail, Preference


def notify(*, users, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create an inbox message per active user and queue its e-mail on commit, unless the user turned e-mail
    off for this kind of notification."""

    # The title is the e-mail's subject: whatever a name or title in it holds, it stays one header line.
    title = single_line(title)
    created = []
    seen = set()
    users = [u for u in users if u is not None and u.is_active]
    group = group_of(kind)
    no_email = set(
        Preference.objects.filter(user__in=[u.pk for u in users], kind=group, email=False).values_list(
            "user_id", flat=True
        )
    )
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        note = Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)
        created.append(note)
        if user.email and user.pk not in no_email:
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


def preferences_save(*, user, email_by_kind: dict) -> None:
    """Store the user's e-mail choice per kind of notification."""

    valid = dict(KINDS)
    with transaction.atomic():
        for kind, enabled in email_by_kind.items():
            if kind in valid:
                Preference.objects.update_or_create(user=user, kind=kind, defaults={"email": bool(enabled)})
