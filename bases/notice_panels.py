"""What an app above `bases` adds to a notice's public page (the objection form of a 公示, say).

The app registers a panel for a kind of notice in its AppConfig.ready(); the panel returns extra context for
`bases/notice_detail.html`. So the notice page shows the objection form without `bases` importing
`applications`.
"""

_panels = {}


def register_notice_panel(kind: str, panel) -> None:
    """Register `panel(notice, form=None) -> dict` for notices of `kind`."""
    _panels[kind] = panel


def notice_panel(notice, form=None) -> dict:
    """Return the extra context of the notice's page (empty when no app adds anything)."""
    panel = _panels.get(notice.kind)
    return panel(notice, form=form) if panel else {}
