"""Deployment checks of the shell (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

# Caches every gunicorn worker (and every host) sees alike, with atomic increments: rate limits hold across them.
SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}


@checks.register(checks.Tags.security, deploy=True)
def check_rate_limit_cache(app_configs=None, **kwargs):
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Error(
            f"Rate limits are counted in the cache {alias!r} ({backend}), which the workers do not share.",
            hint="Set CACHE_URL to a Redis URL (redis://host:6379/1).",
            id="portal.E001",
        )
    ]
