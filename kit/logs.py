"""Logs one line of JSON per event (issue 16), each with the request or the Celery task it belongs to, so the lines
of one request can be found across web nodes and workers. The ids travel in context variables: the portal's
RequestIdMiddleware sets the request's, config/celery.py the task's."""

import contextvars
import json
import logging
import re
import uuid

request_id = contextvars.ContextVar("request_id", default=None)
task_id = contextvars.ContextVar("task_id", default=None)

# An id a proxy sent (nginx's $request_id is 32 hex digits) is kept if it looks like one; anything else is replaced,
# so a client cannot write arbitrary text into the logs.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def request_id_from(header: str | None) -> str:
    return header if header and _ACCEPTABLE_ID.match(header) else uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id"?, "task_id"?, "exception"?} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := request_id.get()) is not None:
            entry["request_id"] = rid
        if (tid := task_id.get()) is not None:
            entry["task_id"] = tid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
