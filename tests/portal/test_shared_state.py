"""Shared state for scale-out (issue 16): with CACHE_URL, sessions live in Redis (their own cache, optionally their
own Redis database) so any web node serves any user; Celery routes each kind of work to its own queue, with time
limits; SMTP has a timeout."""

import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.portal.test_shell import ROOT, _production_env

pytestmark = pytest.mark.django_db

REDIS_SESSIONS = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/13",
        "KEY_PREFIX": "session-test",
    },
}


def _settings_in_production(code: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env={**_production_env(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_keeps_sessions_in_their_own_redis_database():
    out = _settings_in_production(
        "print(settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS, settings.CACHES['sessions']['LOCATION'], "
        "settings.EMAIL_TIMEOUT)",
        SESSION_CACHE_URL="redis://127.0.0.1:6379/3",
    )
    assert out == "django.contrib.sessions.backends.cache sessions redis://127.0.0.1:6379/3 10"


def test_without_a_cache_url_sessions_stay_in_the_database(settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@override_settings(
    CACHES=REDIS_SESSIONS,
    SESSION_ENGINE="django.contrib.sessions.backends.cache",
    SESSION_CACHE_ALIAS="sessions",
)
def test_a_session_kept_in_redis_is_served_by_another_node(client, provincial_admin):
    """Two clients with the same cookie stand for two web nodes: the second finds the session in Redis."""
    from django.core.cache import caches
    from django.test import Client

    client.force_login(provincial_admin)
    cookie = client.cookies["sessionid"].value
    assert caches["sessions"].get(f"django.contrib.sessions.cache{cookie}") is not None
    other = Client()
    other.cookies["sessionid"] = cookie
    assert other.get(reverse("portal:dashboard")).status_code == 200


def test_each_kind_of_work_has_its_queue_and_tasks_have_time_limits():
    from config.celery import app

    def queue(name):
        return app.amqp.router.route({}, name)["queue"].name

    assert queue("hours.tasks.process_batch") == "hours"
    assert queue("hours.tasks.process_excel") == "hours"
    assert queue("notifications.tasks.send_notification_email") == "email"
    assert queue("notifications.tasks.send_due_reminders") == "celery"
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_uploads_go_to_an_object_store_when_a_bucket_is_set():
    out = _settings_in_production(
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.default_acl)",
        STORAGE_BUCKET="ce-portal-test",
        STORAGE_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert out == "S3Storage ce-portal-test None"


def test_a_second_beat_firing_the_daily_job_does_nothing(settings):
    """Exactly one beat is shipped; should a second run by mistake, the day's lock in the shared cache makes its
    reminder run do nothing (and the reminder ledger would still keep each reminder to one send)."""
    from django.core.cache import cache

    from notifications import tasks

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "beat"}
    }
    cache.clear()
    first = tasks.send_due_reminders.apply().get()
    second = tasks.send_due_reminders.apply().get()
    assert "sent" in first
    assert second == {"skipped": "already run today"}
    by_hand = tasks.send_due_reminders.apply(kwargs={"date_iso": "2026-12-24"}).get()
    assert "sent" in by_hand  # a run for a given day, by hand, is not the beat's
