"""Content-Security-Policy and the other security headers (等保 2.0 level 3, web application hardening).

Scripts and styles come only from the portal's own static files: no inline <script>, no on…= handler, no style
attribute or <style> element, in the templates or in any page the crawl renders; the browser journeys (tests/e2e)
fail on a CSP violation, and so do the browser checks here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.models import User
from tests.api.conftest import seed_demo_world
from tests.e2e.conftest import CSP_LISTENER, _watch

from . import crawl

ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_pages_send_a_csp_with_no_unsafe_inline(client, db):
    response = client.get(reverse("bases:home"))
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_referrer_permissions_and_framing_headers(client, db):
    response = client.get(reverse("bases:home"))
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_error_and_api_answers_carry_the_csp_too(client, db):
    assert "Content-Security-Policy" in client.get("/no-such-page/").headers
    assert "Content-Security-Policy" in client.get("/api/v1/bases/").headers


class InlineCode(HTMLParser):
    """Collect what a strict CSP would block: inline scripts, handlers, style attributes and elements."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.found.append(f"<{tag} style=…>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.found.append("<style>")
        # A data block (type="application/json") is never run, so CSP does not apply to it.
        self._in_script = (
            tag == "script"
            and "src" not in names
            and names.get("type", "") in ("", "text/javascript", "module")
        )

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline <script>{data.strip()[:40]}…")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_inline_code_finder_finds_what_csp_blocks():
    html = '<p style="x">a</p><button onclick="f()">b</button><script>alert(1)</script><script src="/s.js"></script>'
    assert inline_code(html) == ["<p style=…>", "<button onclick=…>", "inline <script>alert(1)…"]


def _template_files():
    dirs = [Path(d) for d in django_settings.TEMPLATES[0]["DIRS"]]
    dirs += [p for p in ROOT.glob("*/templates") if ".venv" not in str(p)]
    return [f for d in dirs for f in d.rglob("*.html")]


def is_document_template(path) -> bool:
    """Templates of the PDF documents (kit/pdf.py): laid out by WeasyPrint on the server, never sent to a browser,
    so their stylesheet is inline by design (WeasyPrint fetches nothing)."""
    return "documents" in path.parts or "pdf" in path.parts


def test_no_template_holds_inline_script_handler_or_style():
    found = {}
    for path in _template_files():
        if is_document_template(path):
            continue
        # Template tags may sit inside attributes; the parser only needs the HTML around them.
        text = re.sub(r"{% comment %}.*?{% endcomment %}|{#.*?#}", "", path.read_text(), flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}", "x", text, flags=re.S)
        problems = inline_code(text)
        if problems:
            found[str(path.relative_to(ROOT))] = problems
    assert len(_template_files()) > 50
    assert not found, found


@pytest.fixture
def demo(db, settings):
    credentials = seed_demo_world(settings)
    crawl.complete_demo_world()
    return credentials


def test_no_rendered_page_holds_inline_code(client, demo):
    """Every GET page of the site, as each kind of user, rendered with the demo world."""
    found, pages = {}, 0
    for username in crawl.CRAWLERS:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for target in crawl.targets(demo):
            response = client.get(target.url, headers=target.headers)
            if response.status_code != 200 or "text/html" not in response.headers.get("Content-Type", ""):
                continue
            pages += 1
            assert "Content-Security-Policy" in response.headers, target.url
            problems = inline_code(response.content.decode())
            if problems:
                found[f"{username} {target.url}"] = problems
    assert pages > 100  # the crawl rendered the site, not a handful of pages
    assert not found, found


# Browser checks: Chromium enforces the header; the listener of tests/e2e reports violations.


def _problems_on(browser, live_server, path, action=None):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    context.add_init_script(CSP_LISTENER)
    problems = []
    page = context.new_page()
    _watch(page, problems)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if action:
        action(page)
        page.wait_for_timeout(300)
    context.close()
    return problems


@pytest.mark.django_db(transaction=True)
def test_browser_listener_reports_an_inline_script_as_a_violation(browser, live_server, settings):
    """The e2e fixture can fail: an inline script added to a real page is refused and reported."""
    settings.DEBUG = False

    def inject(page):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
            "document.body.appendChild(s); }"
        )

    problems = _problems_on(browser, live_server, "/", inject)
    assert any("script-src" in p for p in problems), problems


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/bases/", "/notices/", "/accounts/login/?username=a", "/api/docs/"])
def test_public_pages_and_api_docs_load_without_a_csp_violation(browser, live_server, settings, path):
    settings.DEBUG = False
    assert _problems_on(browser, live_server, path) == []


def test_a_browser_asking_the_api_for_html_gets_json(client, db):
    """DRF's browsable pages carry inline styles and a <style> a strict CSP refuses: the API answers JSON only."""
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends
    response = client.get("/api/v1/bases/", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert client.get("/api/v1/bases/?format=api").status_code == 404
