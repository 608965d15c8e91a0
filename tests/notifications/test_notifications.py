"""In-app messages and e-mail: sent only after the transaction commits, every attempt recorded, retried."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from accounts.models import Role
from notifications.models import Notification, OutboundEmail
from notifications.services import notification_mark_read, notify, outbound_email_send
from notifications.tasks import send_notification_email
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def user(institution):
    return member(institution, Role.BASE_OPERATOR, email="op@example.test")


def test_notify_creates_inbox_message_and_sends_mail_on_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[user], kind="test", title="标题", body="正文", url="/dashboard/")
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert Notification.objects.get(user=user).title == "标题"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["op@example.test"]
    assert "标题" in mail.outbox[0].subject
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == ("sent", 1)


def test_rolled_back_transaction_sends_nothing(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[user], kind="test", title="回滚", body="")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_failed_send_is_recorded_and_a_retry_succeeds(user, django_capture_on_commit_callbacks):
    with (
        mock.patch("notifications.services.send_mail", side_effect=OSError("smtp down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(users=[user], kind="test", title="重试", body="")
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 1)
    assert "smtp down" in outbound.last_error
    outbound_email_send(outbound_id=outbound.pk)
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 2, "")
    outbound_email_send(outbound_id=outbound.pk)  # a duplicate task sends nothing twice
    assert len(mail.outbox) == 1


def test_task_retries_with_backoff_when_not_eager(user):
    note = Notification.objects.create(user=user, kind="t", title="x")
    outbound = OutboundEmail.objects.create(notification=note, to=user.email)
    send_notification_email.push_request(is_eager=False, retries=2)
    try:
        with (
            mock.patch("notifications.services.send_mail", side_effect=OSError("down")),
            mock.patch.object(
                send_notification_email, "retry", side_effect=RuntimeError("retry scheduled")
            ) as retry,
            pytest.raises(RuntimeError, match="retry"),
        ):
            send_notification_email.run(outbound.pk)
    finally:
        send_notification_email.pop_request()
    assert retry.call_args.kwargs["countdown"] == 240  # 60 s * 2**2: exponential back-off
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == ("failed", 1)


def test_inactive_users_and_duplicates_get_one_or_no_message(user, institution):
    other = member(institution, Role.BASE_OPERATOR)
    other.is_active = False
    other.save()
    notify(users=[user, user, other, None], kind="t", title="一次")
    assert Notification.objects.filter(user=user).count() == 1
    assert not Notification.objects.filter(user=other).exists()


def test_mark_read_only_touches_own_messages(user, institution):
    other = member(institution, Role.BASE_OPERATOR)
    mine = Notification.objects.create(user=user, kind="t", title="a")
    theirs = Notification.objects.create(user=other, kind="t", title="b")
    assert notification_mark_read(user=user, notification_id=theirs.pk) == 0
    assert notification_mark_read(user=user) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at and not theirs.read_at
