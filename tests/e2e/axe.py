"""Run axe-core (vendored in static/vendor/axe, never from a CDN) on the page a browser test is on."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")

# Evaluated through the DevTools protocol rather than a <script> tag, so a Content-Security-Policy that forbids
# inline scripts does not stop it.
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200)),
  }));
}"""


def blocking_violations(page) -> list[dict]:
    """Return axe's serious and critical violations on the current page."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return [v for v in page.evaluate(RUN) if v["impact"] in BLOCKING]
