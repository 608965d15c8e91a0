"""Short caching of anonymous public pages (DESIGN: allowed where a change shows within a minute)."""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language


def public_cache(view):
    """Serve an anonymous GET from the cache for up to a minute. Signed-in users and pages carrying a
    flash message always get a fresh page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        anonymous = not request.user.is_authenticated
        if not seconds or request.method != "GET" or not anonymous or "messages" in request.COOKIES:
            return view(request, *args, **kwargs)
        session = getattr(request, "session", None)
        if session is not None and session.get("_messages"):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public:{get_language()}:{digest}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.cookies
                and not getattr(response, "streaming", False)
            ):
                if hasattr(response, "render"):
                    response.render()
                cache.set(key, response, seconds)
        return response

    return wrapped
