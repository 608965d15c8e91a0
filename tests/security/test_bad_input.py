"""Bad input never gives a 500 (R-31 data exchange, 等保 2.0 input validation): NUL bytes in any query or form field,
non-numeric ids and years in a POST, deeply nested or NUL-holding JSON, a malformed multipart body, control
characters in single-line fields. Each is refused with 400 and a message."""

import json

import pytest
from django.urls import reverse

from accounts.models import User
from applications.models import Batch
from tests.api.conftest import seed_demo_world

from . import crawl
from .crawl import ParameterRecorder, complete_demo_world, targets

NUL = "\x00"


@pytest.fixture
def demo(db, settings):
    credentials = seed_demo_world(settings)
    complete_demo_world()
    return credentials


def _login(client, username):
    client.logout()
    if username:
        client.force_login(User.objects.get(username=username))


def test_no_get_url_of_site_or_api_answers_500_to_a_nul_in_a_query_parameter(client, demo, monkeypatch):
    """Crawl every GET URL pattern as each kind of user; put a NUL in each parameter the view reads, and in a key."""
    recorder = ParameterRecorder(monkeypatch)
    client.raise_request_exception = False  # collect every 500 rather than stop at the first
    failures, seen = [], set()
    for username in crawl.CRAWLERS:
        _login(client, username)
        for target in targets(demo):
            status, parameters = recorder.parameters_of(client, target)
            if status >= 500:
                failures.append(f"{username} GET {target.url}: {status}")
            for name in sorted(parameters):
                seen.add((target.name, name))
                response = client.get(target.url, {name: NUL}, headers=target.headers)
                if response.status_code != 400 or "NUL" not in response.content.decode():
                    failures.append(f"{username} GET {target.url}?{name}=%00: {response.status_code}")
            response = client.get(f"{target.url}?a%00b=1", headers=target.headers)
            if response.status_code != 400:
                failures.append(f"{username} GET {target.url}?a%00b=1: {response.status_code}")
    assert not failures, "\n".join(failures)
    # Detail pages were crawled with real objects; the demo world has no evidence files and no locked-out sign-in.
    assert set(crawl.unresolved) <= {
        "bases:evidence",
        "inspections:rectification_evidence",
        "accounts:lockout_release",
    }, crawl.unresolved
    # The recorder really found the parameters the pages read (else the crawl would prove nothing).
    for expected in [
        ("bases:registry", "q"),
        ("bases:notices", "kind"),
        ("base-list", "q"),
        ("audit:events", "actor"),
        ("hours:home", "year"),
        ("application-list", "state"),
    ]:
        assert expected in seen, expected


@pytest.mark.parametrize(
    "url", ["/bases/?q=%00", "/notices/?kind=%00", "/api/v1/bases/?q=%00", "/reports/lookup/?code=%00"]
)
def test_nul_in_a_public_query_is_a_400_with_a_message(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    if url.startswith("/api/"):
        assert "空字符" in response.json()["detail"]


def test_nul_in_a_form_field_is_a_400_and_saves_nothing(client, db, settings):
    """A NUL in a sign-up field never reaches the database (PostgreSQL would refuse it: a 500)."""
    settings.RATE_LIMITS = {}
    before = User.objects.count()
    response = client.post(reverse("accounts:register"), {"name": "某机构\x00", "username": "nul_user"})
    assert response.status_code == 400 and "空字符" in response.content.decode()
    assert User.objects.count() == before


def test_nul_in_a_multipart_field_is_a_400(client, db):
    response = client.post(reverse("accounts:register"), {"name": "x\x00", "file": b"x"}, format="multipart")
    assert response.status_code == 400


def test_malformed_multipart_body_is_a_400_not_a_500(client, db):
    response = client.generic(
        "POST",
        reverse("accounts:register"),
        b"--nonsense\r\nnot a part",
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400
    assert "格式有误" in response.content.decode()


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_a_400(client, db, depth):
    """Nesting past JSON_MAX_DEPTH is refused by the parser; past Python's recursion limit too (no RecursionError)."""
    body = "[" * depth + "]" * depth
    response = client.post(reverse("api-token"), body, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_json_within_the_depth_limit_is_accepted(client, db, settings):
    settings.JSON_MAX_DEPTH = 4
    ok = client.post(
        reverse("api-token"), {"username": [[["x"]]], "password": "y"}, content_type="application/json"
    )
    assert (
        ok.status_code == 400 and "嵌套" not in ok.json()["detail"]
    )  # refused as a bad username, not parsed away
    deep = client.post(
        reverse("api-token"), {"username": [[[["x"]]]], "password": "y"}, content_type="application/json"
    )
    assert "嵌套" in deep.json()["detail"]


def test_nul_in_a_json_string_or_key_is_a_400(client, db):
    for body in ({"username": "a\x00", "password": "x"}, {"user\x00name": "a", "password": "x"}):
        response = client.post(reverse("api-token"), json.dumps(body), content_type="application/json")
        assert response.status_code == 400
        assert "空字符" in response.json()["detail"]


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(client, db):
    """The parser looks at strings when the body has a \\u0000 escape; an escaped backslash is no NUL."""
    body = json.dumps({"username": "\\u0000", "password": "x"})
    assert "\\\\u0000" in body
    response = client.post(reverse("api-token"), body, content_type="application/json")
    assert response.status_code == 400 and "空字符" not in response.json()["detail"]


def test_nul_in_hours_records_is_refused_before_ingestion(client, db):
    """The ingestion API reads the same parser: a NUL in a record is a 400, no batch is stored."""
    from hours.models import IngestBatch

    body = json.dumps({"records": [{"name": "张\x00三"}]})
    response = client.post(reverse("api-hours-records"), body, content_type="application/json")
    assert response.status_code in (400, 401)  # without a key the API may answer 401 first: never a 500
    assert not IngestBatch.objects.exists()


def test_non_numeric_ids_and_years_in_a_post_are_a_400_with_a_message(client, demo):
    """plans: base and year; applications: the institution applying; inspections: the assessment confirmed."""
    client.force_login(User.objects.get(username="inst1_operator"))
    for data in (
        {"base": "abc", "year": "2027"},
        {"base": "1", "year": "二〇二七"},
        {"base": "1", "year": "99999"},
    ):
        response = client.post(reverse("plans:start"), data)
        assert response.status_code == 400, data
        assert "请选择基地" in response.content.decode() or "年度" in response.content.decode()
    client.force_login(User.objects.get(username="inst1_admin"))
    batch = Batch.objects.order_by("pk").first()
    response = client.post(reverse("applications:start", args=[batch.pk]), {"institution": "x"})
    assert response.status_code == 400 and "施教机构" in response.content.decode()
    client.force_login(User.objects.get(username="cd_approver"))
    response = client.post(reverse("inspections:assessments"), {"do": "confirm", "assessment": "1 OR 1=1"})
    assert response.status_code == 400 and "评估" in response.content.decode()


def test_control_characters_in_a_single_line_field_are_refused(client, db, settings):
    """A name with a line break would forge an e-mail header: the form refuses it, a text area keeps its lines."""
    from applications.forms import ObjectionForm
    from bases.forms import MisconductReportForm

    form = ObjectionForm(
        {"name": "张三\r\nBcc: x@example.com", "phone": "13800000000", "content": "第一行\n第二行"}
    )
    assert not form.is_valid()
    assert "控制字符" in str(form.errors["name"]) and "content" not in form.errors
    form = MisconductReportForm({"reporter_name": "李\t四", "reporter_phone": "1380000\x0b0000"})
    form.is_valid()
    assert "控制字符" in str(form.errors["reporter_name"]) and "控制字符" in str(
        form.errors["reporter_phone"]
    )
    settings.RATE_LIMITS = {}
    response = client.post(reverse("accounts:register"), {"name": "机构\u2028名称"})
    assert "控制字符" in response.content.decode()


def test_notification_title_is_one_line_whatever_it_was_given(db, inst_admin):
    """The service keeps the e-mail subject on one line even if a caller passed a line break (defence in depth)."""
    from notifications.services import notify

    (note,) = notify(users=[inst_admin], kind="application", title="基地\r\nBcc: x@example.com 已认定")
    assert note.title == "基地 Bcc: x@example.com 已认定"
