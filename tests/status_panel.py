"""Read an object page's status panel (templates/includes/status_panel.html) and where its actions sit."""

import re
from html import unescape


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def status_panel(body: str) -> dict:
    """Return the panel's state, next step and action labels as plain text (the page must have one panel)."""
    assert body.count('data-testid="status-panel"') == 1
    panel = body.split('data-testid="status-panel"', 1)[1].split("</section>", 1)[0]

    def cell(testid):
        return re.search(rf'data-testid="{testid}">(.*?)</dd>', panel, re.S).group(1)

    actions = cell("panel-actions")
    return {
        "state": _text(cell("panel-state")),
        "next": _text(cell("panel-next")),
        "actions": [_text(a) for a in re.findall(r'<a [^>]*href="#actions"[^>]*>(.*?)</a>', actions)],
        "actions_text": _text(actions),
    }


def assert_actions_before_history(body: str) -> None:
    """The next step's form (in the element the panel's links point to, id="actions") comes right after the
    panel and before the history, not at the foot of the page."""
    assert body.count('id="actions"') == 1
    panel, actions = body.index('data-testid="status-panel"'), body.index('id="actions"')
    form = body.index("<form", actions)
    history = body.index('id="sec-hist"')
    assert panel < actions < form < history
