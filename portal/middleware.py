from django.db import connection
from django.http import JsonResponse


class HealthCheckMiddleware:
    """Answer /healthz/ before host validation and the HTTPS redirect, for container health checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz/":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:  # noqa: BLE001  (any database failure means unhealthy)
            return JsonResponse({"status": "database unavailable"}, status=503)
        return JsonResponse({"status": "ok"})
