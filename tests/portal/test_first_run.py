"""The demo of `make run`: development defaults with DEBUG off (the portal's own error pages, static files through
whitenoise), and the table of accounts to try."""

import os
import subprocess
import sys
from pathlib import Path

from accounts.demo import demo_accounts_table

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.conf import settings
from django.test import Client
assert not settings.DEBUG and settings.DEV_DEFAULTS
assert settings.EMAIL_BACKEND.endswith("console.EmailBackend") and settings.HOURS_ID_KEYS
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
print("404", missing.status_code, "页面不存在" in missing.content.decode(), "Traceback" in missing.content.decode())
css = client.get("/static/css/portal.css")
print("css", css.status_code, b"".join(css.streaming_content)[:2] == b"/*")
print("icon", client.get("/static/favicon.svg").status_code)
"""


def _run(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(DATABASE_URL="sqlite:////tmp/first-run-probe.sqlite3", **env_extra)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_development_defaults_with_debug_off_show_the_portals_404_and_serve_static_files():
    result = _run({"PORTAL_ENV": "development"})
    assert result.returncode == 0, result.stderr
    assert "404 404 True False" in result.stdout
    assert "css 200 True" in result.stdout
    assert "icon 200" in result.stdout


def test_without_development_defaults_a_secret_key_is_still_required():
    result = _run({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_accounts_table_names_one_account_per_role_and_the_password():
    table = demo_accounts_table()
    for username in ("admin_sc", "cd_reviewer", "expert1", "inst1_admin", "inst1_operator", "inst1_host"):
        assert username in table
    assert "Demo#2026pass" in table and "oathtool --totp" in table
    assert len(table.splitlines()) <= 12


def test_make_run_takes_a_port_and_keeps_debug_off():
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT ?= 8000" in makefile and "127.0.0.1:$(PORT)" in makefile
    assert "run: export PORTAL_ENV := development" in makefile and "run: export DEBUG := 0" in makefile
    assert "demo_ready --url http://127.0.0.1:$(PORT)" in makefile
