"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium), never a downloaded one.

The `browser` itself lives in tests/conftest.py: one Chromium for the session, shared with tests/security (two
sync Playwright instances cannot run side by side)."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Report every Content-Security-Policy violation of a page to the test (init scripts run outside the page's CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def page(browser, live_server, settings):
    """A page of a fresh browser context; the test fails if any page broke the CSP or threw a script error."""
    settings.DEBUG = False
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    problems = []
    page = context.new_page()
    _watch(page, problems)
    context.on("page", lambda p: _watch(p, problems))
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems))


def _watch(page, problems):
    def on_console(msg):
        # Refused inline code shows up as a console error too ("...violates the following Content Security
        # Policy directive"); other console errors (a 400 answer to a refused form) are the tests' business.
        if msg.type == "error" and ("CSP violation" in msg.text or "Content Security Policy" in msg.text):
            problems.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: script error: {exc}"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
