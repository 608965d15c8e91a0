"""Liveness and readiness for the orchestrator (issue 16).

/healthz/ says the process answers (no dependency: a database outage must not get every web node restarted).
/readyz/ says this node can serve: the database answers, every migration is applied, the cache (Redis when
CACHE_URL is set) stores and reads, the Celery broker accepts a connection, and the storage of uploads takes a
file. Each check reports `ok` or the kind of failure, never a message that could carry a host name or a secret.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

_migrations_applied = False  # once every migration is applied, it stays so for this release's process


def _database():
    with connection.cursor() as cur:
        cur.execute("SELECT 1")


def _migrations():
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_applied = True


def _cache():
    cache.set("readyz-probe", "1", 10)
    if cache.get("readyz-probe") != "1":
        raise RuntimeError("cache does not keep a value")


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"  # development defaults: tasks run in the request, no broker to reach
    from celery import current_app  # the project's app (config/celery.py), which config/__init__.py loads

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


def _storage():
    name = default_storage.save("readyz/probe.txt", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS = [
    ("database", _database),
    ("migrations", _migrations),
    ("cache", _cache),
    ("broker", _broker),
    ("storage", _storage),
]


def readiness() -> tuple[bool, dict]:
    """Run every check; return whether all passed and each check's result."""
    results, ready = {}, True
    for name, check in CHECKS:
        try:
            results[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001  (any failure of a dependency means not ready)
            results[name] = f"failed: {type(exc).__name__}"
            ready = False
    return ready, results
