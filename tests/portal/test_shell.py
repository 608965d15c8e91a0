"""The UI shell: Chinese pages, navigation by role, error pages, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_public_home_is_chinese_with_portal_name(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in body
    assert "四川省专业技术人员继续教育基地管理平台" in body
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "cdn" not in body.lower()


def test_english_is_the_second_language(client):
    client.get(reverse("portal:language"), {"lang": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_dashboard_shows_roles_and_empty_state(client, institution):
    user = member(institution, Role.INSTITUTION_ADMIN)
    client.force_login(user)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "我的待办" in body
    assert "机构管理员" in body
    assert "当前没有需要您处理的事项" in body


def test_navigation_follows_roles(client, provincial_admin, audit_admin, institution):
    client.force_login(provincial_admin)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("audit:events") not in body  # 三权分立: the audit trail is the audit administrator's
    assert reverse("accounts:regions") in body
    client.force_login(audit_admin)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("audit:events") in body
    assert reverse("accounts:regions") not in body
    operator = member(institution, Role.BASE_OPERATOR)
    client.force_login(operator)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert reverse("audit:events") not in body
    assert reverse("accounts:organizations") not in body


def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_chinese_and_standalone(client):
    from django.test import RequestFactory

    from portal.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统暂时无法处理您的请求" in response.content.decode()


def test_form_fields_have_labels(client):
    body = client.get(reverse("accounts:register")).content.decode()
    for field in ["name", "credit_code", "institution_type", "region", "username", "password"]:
        assert f'for="id_{field}"' in body


def _production_env():
    skip = {
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # the browser tests set the last one
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        SECRET_KEY="x" * 20 + "prod-secret-for-deploy-check-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="jxjy.example.gov.cn",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
        HOURS_ID_KEYS="b0pXx1nFvI8y4o4d4Yt3xKj0a3rV6tXQ7m1c2s5u8wE=",
        HOURS_HASH_KEY="prod-hash-key-for-deploy-check-0123456789",
        CACHE_URL="redis://127.0.0.1:6379/9",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_seed_demo_refuses_to_run_without_debug():
    env = _production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "only with DEBUG=1" in result.stderr


def test_healthz_answers_without_host_check(client):
    response = client.get("/healthz/", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_multi_checkbox_fields_render_as_a_labelled_group(client, provincial_admin, chengdu):
    client.force_login(provincial_admin)
    body = client.get(reverse("accounts:members", args=[chengdu.pk])).content.decode()
    assert '<legend class="form-label fs-6 required">角色</legend>' in body
    import re

    boxes = re.findall(r'<input[^>]*name="roles"[^>]*>', body)
    assert boxes and all('type="checkbox"' in b and "form-control" not in b for b in boxes)


def test_date_inputs_carry_iso_dates(client, provincial_admin):
    from audit.forms import AuditFilterForm

    form = AuditFilterForm(initial={"date_from": __import__("datetime").date(2026, 11, 26)})
    assert 'value="2026-11-26"' in str(form["date_from"])
