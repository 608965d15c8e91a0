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


# Issue 14: axe-core checks every page a browser test opens. Once a page has loaded, axe (vendored, injected as an
# init script, so the page's CSP does not apply to it) reports each serious or critical violation as a console
# error, which fails the test like a CSP violation. A test that leaves a page before axe finishes skips that check.
AXE_ON_LOAD = """
window.addEventListener("load", function () {
  if (window.top !== window || typeof axe !== "object") return;
  setTimeout(function () {
    axe.run(document, {resultTypes: ["violations"]}).then(function (result) {
      result.violations.forEach(function (v) {
        if (v.impact !== "serious" && v.impact !== "critical") return;
        var where = v.nodes.slice(0, 3).map(function (n) { return n.target.join(" "); }).join(" | ");
        console.error("axe violation: " + v.id + " (" + v.impact + ") " + v.help + " at " + location.pathname +
          " :: " + where);
      });
    });
  }, 0);
});
"""


@pytest.fixture
def page(browser, live_server, settings):
    """A page of a fresh browser context; the test fails if any page broke the CSP, threw a script error or has a
    serious or critical accessibility violation (axe-core)."""
    from tests.e2e.axe import AXE_SOURCE

    settings.DEBUG = False
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(CSP_LISTENER)
    context.add_init_script(AXE_SOURCE + AXE_ON_LOAD)
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
        if msg.type == "error" and (
            "CSP violation" in msg.text
            or "Content Security Policy" in msg.text
            or "axe violation" in msg.text
        ):
            problems.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: script error: {exc}"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
