"""send_due_reminders through a real Celery worker over Redis (not eager mode)."""

import os
import time

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker

from config.celery import app
from notifications.models import Notification, OutboundEmail, ReminderLedger
from notifications.tasks import send_due_reminders

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def real_celery(settings):
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required for the Celery worker test ({BROKER}): {exc}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fresh app bound to Redis, made current so shared tasks (and tasks enqueued on commit) use it; the
    # project's app may already hold a producer pool for another broker from earlier tests.
    test_app = Celery("ce_portal_worker_test", set_as_current=True)
    test_app.config_from_object("django.conf:settings", namespace="CELERY")
    test_app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    redis.Redis.from_url(BROKER).flushdb()
    try:
        # The worker serves every queue the portal routes to (config/settings.py CELERY_TASK_ROUTES).
        queues = ",".join(["celery", *sorted({r["queue"] for r in settings.CELERY_TASK_ROUTES.values()})])
        with start_worker(
            test_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=queues
        ):
            yield test_app
    finally:
        app.set_current()


@pytest.mark.django_db(transaction=True)
def test_send_due_reminders_runs_in_a_real_worker_over_redis(real_celery):
    from tests.plans.conftest import PlanWorld

    pw = PlanWorld()
    send_due_reminders.delay("2026-12-01")
    wait_for(
        lambda: (
            ReminderLedger.objects.count() == 1
            and not OutboundEmail.objects.exclude(status="sent").exists()
            and OutboundEmail.objects.exists()
        )
    )
    assert Notification.objects.filter(user=pw.operator, kind="reminder.plan_deadline").count() == 1
    # The e-mails were enqueued on commit and sent by the same worker.
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    # Running again (a second beat, a retry) sends nothing more.
    assert send_due_reminders.delay("2026-12-01").get(timeout=60) == {"sent": 0, "skipped": 1}
    assert ReminderLedger.objects.count() == 1
    assert Notification.objects.filter(kind__startswith="reminder.").count() == 2  # operator and host, once


def wait_for(condition, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not finish in time")
