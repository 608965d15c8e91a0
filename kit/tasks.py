"""Periodic jobs run once per slot however many beats fire (issue 16): exactly one beat is documented and shipped,
and a second one started by mistake does nothing, because the first run of a slot takes a lock in the shared
cache (Redis) that the others find taken."""

import functools

from django.core.cache import cache
from django.utils import timezone


def once_per_day(name: str):
    """Run the decorated job at most once per day (Asia/Shanghai) under this name; later calls that day return
    {"skipped": "already run today"}. The lock lives 26 hours in the shared cache."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            slot = f"periodic:{name}:{timezone.localdate().isoformat()}"
            if not cache.add(slot, "1", timeout=26 * 3600):
                return {"skipped": "already run today"}
            return fn(*args, **kwargs)

        return wrapper

    return decorate
