"""axe-core (static/vendor/axe, pinned in package.json) run inside the page under test."""

AXE_URL = "/static/vendor/axe/axe.min.js"  # loaded from the portal itself, as its CSP allows

RUN_AXE = """async (context) => {
  const result = await axe.run(context, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]}});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


def axe_violations(page, context: str = "main") -> list[str]:
    """Return the WCAG 2.1 A/AA violations axe-core finds in `context` (a selector) of the current page.

    The default is the page's own content, `main`: the shared header's navigation links are outside what a
    feature's pages add (axe reports their contrast on the blue bar today).
    """
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(RUN_AXE, context)
