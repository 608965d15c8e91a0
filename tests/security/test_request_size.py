"""Request size (等保 2.0, resource control): a body over REQUEST_MAX_BYTES is refused from its Content-Length with a
413 and a message before a byte of it is read; nginx in front of gunicorn refuses the same size, buffers whole
requests and answers, and times out slow clients (deploy/nginx.conf, docker-compose.yml, Dockerfile)."""

import io
import re
import socket
from pathlib import Path

import pytest
import yaml
from django.conf import settings as django_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _post_claiming(client, url, length, content_type="application/x-www-form-urlencoded"):
    return client.generic(
        "POST",
        url,
        b"",
        content_type=content_type,
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
    )


def test_oversized_body_is_refused_with_413_before_it_is_read(client, db, settings):
    response = _post_claiming(client, reverse("accounts:register"), settings.REQUEST_MAX_BYTES + 1)
    assert response.status_code == 413
    body = response.content.decode()
    assert "请求内容过大" in body and "21 MB" in body
    assert "Content-Security-Policy" in response.headers  # refused after the security headers are set


def test_oversized_api_body_gets_a_json_413(client, db, settings):
    response = _post_claiming(
        client, reverse("api-hours-records"), settings.REQUEST_MAX_BYTES + 1, "application/json"
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.json()["detail"]


def test_a_body_at_the_limit_is_let_through(client, db, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post(reverse("api-token"), {"username": "a" * 100, "password": "b"}, "application/json")
    assert response.status_code == 400  # parsed and refused as wrong credentials, not as too large
    settings.REQUEST_MAX_BYTES = 10
    response = client.post(reverse("api-token"), {"username": "a" * 100, "password": "b"}, "application/json")
    assert response.status_code == 413


def test_a_content_length_that_is_not_a_number_is_a_400(client, db):
    response = client.generic("POST", reverse("accounts:register"), b"", CONTENT_LENGTH="lots")
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_live_server_answers_413_without_waiting_for_the_body(live_server, settings):
    """Over a real socket: headers announcing 100 MB and no body at all; the answer comes at once."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /accounts/register/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 104857600\r\n\r\n"
        )
        answer = sock.recv(65536).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413")


def _nginx():
    return (ROOT / "deploy" / "nginx.conf").read_text()


def _directive(name):
    return re.findall(rf"^\s*{name}\s+([^;]+);", _nginx(), flags=re.M)


def test_nginx_refuses_the_same_body_size_as_the_portal():
    (size,) = _directive("client_max_body_size")
    assert size == f"{django_settings.REQUEST_MAX_BYTES // (1024 * 1024)}m"


def test_nginx_buffers_and_times_out_and_overwrites_forwarded_for():
    assert _directive("proxy_request_buffering") == ["on"] and _directive("proxy_buffering") == ["on"]
    for name in ("client_header_timeout", "client_body_timeout", "proxy_read_timeout", "send_timeout"):
        assert _directive(name), name
    assert "X-Forwarded-For $remote_addr" in _nginx()  # replaced, not appended: nginx is the edge
    assert "X-Forwarded-Proto $scheme" in _nginx()


def test_compose_puts_nginx_in_front_of_gunicorn_with_one_trusted_proxy():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    nginx, web = services["nginx"], services["web"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    assert "ports" not in web and web["expose"] == ["8000"]  # gunicorn is reached only through nginx
    assert "upstream portal_web" in _nginx() and "server web:8000" in _nginx()
    env = compose["x-portal-env"]
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert env["CACHE_URL"].startswith("redis://")  # rate limits shared by every worker
    assert "HOURS_ID_KEYS" in env and "HOURS_HASH_KEY" in env


def test_gunicorn_timeout_is_below_nginx_read_timeout_in_compose_and_dockerfile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    timeout = int(command[command.index("--timeout") + 1])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f'"--timeout", "{timeout}"' in dockerfile
    (read_timeout,) = _directive("proxy_read_timeout")
    assert int(read_timeout.rstrip("s")) > timeout


def test_env_example_lists_every_setting_the_portal_reads_and_compose_passes_it_on():
    """Issue 16: the stack takes every setting from an env file; env.example names each one settings.py reads."""
    import re

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["x-portal"]["env_file"] == [".env"]
    settings_source = (ROOT / "config" / "settings.py").read_text() + (
        ROOT / "config" / "services.py"
    ).read_text()
    read = set(
        re.findall(r'(?:os\.environ(?:\.get\(|\[)|env_bool\(|env_list\()"([A-Z][A-Z0-9_]+)"', settings_source)
    )
    example = (ROOT / "env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    development_only = {"DEBUG", "PORTAL_ENV", "BENCHMARK_ENDPOINTS", "EMAIL_BACKEND"}
    assert read - development_only <= listed, sorted(read - development_only - listed)
