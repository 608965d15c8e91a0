"""JSON logs with request and task ids (issue 16): every request gets an id (a proxy's sound X-Request-ID is kept,
anything else replaced), returned in X-Request-ID and written on each log line of the request; a Celery task's
lines carry its task id."""

import io
import json
import logging
from types import SimpleNamespace

import pytest

from kit import logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("portal.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_each_response_names_its_request_id_and_keeps_a_proxys_sound_one(client):
    fresh = client.get("/healthz/")["X-Request-ID"]
    assert len(fresh) == 32
    assert client.get("/healthz/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")["X-Request-ID"] == (
        "0123456789abcdef0123456789abcdef"
    )
    forged = client.get("/healthz/", HTTP_X_REQUEST_ID='x" injected\nline')["X-Request-ID"]
    assert "injected" not in forged and len(forged) == 32


def test_a_log_line_is_one_json_object_with_the_request_id(captured):
    logger, stream = captured
    token = logs.request_id.set("req-12345678")
    try:
        logger.info("批次 %s 已受理", "b1")
    finally:
        logs.request_id.reset(token)
    logger.info("outside")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "批次 b1 已受理" and first["request_id"] == "req-12345678"
    assert first["level"] == "INFO" and first["logger"] == "portal.test"
    assert "request_id" not in second


def test_a_tasks_lines_carry_its_task_id(captured):
    from config import celery

    logger, stream = captured
    task = SimpleNamespace(request=SimpleNamespace())
    celery._task_id_on(task_id="task-abcdef12", task=task)
    logger.info("in the task")
    celery._task_id_off(task=task)
    logger.info("after it")
    inside, after = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["task_id"] == "task-abcdef12" and "task_id" not in after
