"""Liveness and readiness probes (issue 16): /healthz/ needs nothing but the process; /readyz/ checks the database,
the migrations, the cache, the broker and the storage, answers 503 naming the failing check, and leaks no detail."""

import pytest

from portal import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The suite runs on a dummy cache, which keeps nothing: readiness would rightly call it broken.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ready"}
    }


def test_a_cache_that_keeps_nothing_is_not_ready(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed: RuntimeError"


def test_healthz_needs_no_database(client, monkeypatch):
    monkeypatch.setattr(health, "_database", lambda: 1 / 0)
    assert client.get("/healthz/").json() == {"status": "ok"}


def test_readyz_reports_every_check_when_ready(client):
    response = client.get("/readyz/", HTTP_HOST="10.0.0.7")  # an orchestrator's probe, no allowed host
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker", "storage"}
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"


def test_readyz_is_503_naming_the_failing_storage(client, monkeypatch):
    def broken(*args, **kwargs):
        raise PermissionError("/data/uploads is read-only on host web-3")

    monkeypatch.setattr(health.default_storage, "save", broken)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed: PermissionError"
    assert "web-3" not in response.content.decode()


def test_readyz_is_503_while_migrations_are_pending(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("hours", "9999_next")])
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed: RuntimeError"


def test_readyz_is_503_when_the_broker_does_not_answer(client, settings):
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/readyz/")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("failed: ")
