from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError


class RequestIdMiddleware:
    """Give each request an id (nginx's X-Request-ID when it sent a sound one), for every log line written while
    it runs (kit.logs), and return it in the X-Request-ID header so a user's report can be matched to the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from kit.logs import request_id, request_id_from

        rid = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class HealthCheckMiddleware:
    """Answer /healthz/ (the process lives) and /readyz/ (its dependencies answer, portal/health.py) before host
    validation and the HTTPS redirect, for the orchestrator's probes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz/":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz/":
            from .health import readiness

            ready, checks = readiness()
            return JsonResponse(
                {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
            )
        return self.get_response(request)


def _refusal(request, status: int, message: str):
    """A refusal before any view ran: JSON for the API, a page otherwise."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    # The context processors cope with a request that has no user or session yet (the size check runs first).
    html = render_to_string("refused.html", {"status": status, "message": message}, request=request)
    return HttpResponse(html, status=status)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than REQUEST_MAX_BYTES from its Content-Length, before a byte of it is read (413).

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only while parsing, and never for file parts; nginx refuses larger
    bodies in production already, this keeps the rule when gunicorn is reached directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, 400, _("请求头 Content-Length 无效。"))
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            message = _("请求内容过大（上限 %(mb)d MB），请压缩或拆分后重试。") % {
                "mb": limit // (1024 * 1024)
            }
            # The body stays unread in the socket; gunicorn's sync workers close the connection after each answer
            # (WSGI lets no application set Connection itself).
            return _refusal(request, 413, message)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy (settings.PERMISSIONS_POLICY): Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _has_nul(items) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in items)


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL character in any query or form field (key or value), before a view sees it.

    PostgreSQL refuses NUL in text, so a NUL that reached a query or a save would be a 500; no field of the portal
    has a use for it. JSON bodies are checked by the API's parser (kit.drf.JSONParser).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.utils.translation import gettext as _

        message = _("请求中含有不允许的空字符（NUL），请检查输入。")
        if _has_nul(request.GET.lists()):
            return _refusal(request, 400, message)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                post, files = request.POST, request.FILES
            except MultiPartParserError:
                # Django lets a malformed multipart body escape as a 500 from wherever request.POST is first read.
                return _refusal(request, 400, _("上传的表单数据格式有误，请重新提交。"))
            if _has_nul(post.lists()) or any("\x00" in (f.name or "") for f in files.values()):
                return _refusal(request, 400, message)
        return None
