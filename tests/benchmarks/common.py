"""Shared plumbing of `make bench`: a dedicated PostgreSQL database, gunicorn, ApacheBench and the report."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
RESULTS = []


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ce_portal")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench measures PostgreSQL only: set DATABASE_URL to a PostgreSQL server (not SQLite).")
    parsed = urlparse(url)
    return parsed._replace(path="/ce_portal_bench").geturl()


def recreate_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS ce_portal_bench WITH (FORCE)")
        cur.execute("CREATE DATABASE ce_portal_bench")
    admin.close()


def report(name, value, unit, ref, ref_unit, target):
    """Print one figure in DESIGN.md's format and keep it for bench-results.json."""
    line = f"BENCH {name} {value:g} {unit} ref={ref:g} {ref_unit} target={target}"
    print(line, flush=True)
    RESULTS.append(
        {"name": name, "value": value, "unit": unit, "ref": ref, "ref_unit": ref_unit, "target": target}
    )


def write_results():
    existing = []
    path = ROOT / "bench-results.json"
    if path.exists():
        try:
            existing = [
                r for r in json.loads(path.read_text()) if r["name"] not in {x["name"] for x in RESULTS}
            ]
        except (ValueError, KeyError):
            existing = []
    path.write_text(json.dumps(existing + RESULTS, ensure_ascii=False, indent=2))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving the portal on a loopback port, production settings, two sync workers."""

    def __init__(self, database_url, workers=2, extra_env=None):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
        env.update(
            DATABASE_URL=database_url,
            SECRET_KEY="bench-" + "x" * 60,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="0",
            SECURE_HSTS_SECONDS="0",
            BENCHMARK_ENDPOINTS="1",
            LOG_LEVEL="WARNING",
            STATIC_ROOT=str(ROOT / "staticfiles"),
        )
        env.update(extra_env or {})
        self.env = env
        self.cmd = [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]

    def __enter__(self):
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz/", timeout=1)  # noqa: S310
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def ab(url, *, requests=4000, concurrency=16, extra=()):
    """Run ApacheBench; return (requests per second, p95 in ms, failed requests). `extra`: more ab options
    (e.g. a session cookie, `-C sessionid=…`)."""
    if not shutil.which("ab"):
        sys.exit("ApacheBench (ab) is missing: apt-get install apache2-utils")
    # Warm up: fill the workers' caches and connection pools.
    subprocess.run(
        ["ab", "-q", "-n", "200", "-c", str(concurrency), *extra, url], capture_output=True, check=False
    )
    out = subprocess.run(
        ["ab", "-q", "-n", str(requests), "-c", str(concurrency), *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))
    p95 = float(re.search(r"^\s*95%\s+(\d+)", out, re.M).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return rps, p95, failed + (int(non2xx.group(1)) if non2xx else 0)


def django_setup(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
