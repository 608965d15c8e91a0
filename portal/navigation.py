"""The header menu, built from the entries the apps register in kit.nav, grouped by task.

Whoever signs in sees at most seven top-level entries: 我的待办, one per task group that has an entry for them
(申报与认定, 基地运行, 监督检查, 学时, 系统管理) and 公开信息, the public pages. A group with a single entry is
a plain link to it; a group with more is a dropdown. Anonymous visitors see the public pages as plain links.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kit import nav

# The task groups, in the header's order.
GROUPS = [
    (nav.APPLY, _("申报与认定")),
    (nav.OPERATION, _("基地运行")),
    (nav.SUPERVISION, _("监督检查")),
    (nav.HOURS, _("学时")),
    (nav.SYSTEM, _("系统管理")),
    (nav.PUBLIC, _("公开信息")),
]
MAX_TOP_LEVEL = 7  # 我的待办 + the six groups


@dataclass
class MenuLink:
    key: str
    label: str
    url: str


@dataclass
class MenuEntry:
    """A top-level entry: a link (`url`) or a dropdown of `children`."""

    key: str
    label: str
    url: str = ""
    children: list = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The `active_nav` keys that mark this entry as the current one."""
        return [self.key, *(child.key for child in self.children)]


def _link(entry) -> MenuLink:
    return MenuLink(entry.key, entry.label, reverse(entry.url_name))


def navigation_for(user, actor) -> list[MenuEntry]:
    """Return the header's top-level entries for `user` (at most MAX_TOP_LEVEL when signed in)."""
    entries = nav.nav_entries_for(actor)
    signed_in = user is not None and user.is_authenticated
    if not signed_in:
        return [MenuEntry(e.key, e.label, reverse(e.url_name)) for e in entries if e.group == nav.PUBLIC]
    menu = [MenuEntry("dashboard", _("我的待办"), reverse("portal:dashboard"))]
    for group, label in GROUPS:
        links = [_link(e) for e in entries if e.group == group]
        if len(links) == 1 and group != nav.PUBLIC:
            menu.append(MenuEntry(links[0].key, links[0].label, links[0].url))
        elif links:
            menu.append(MenuEntry(group, label, children=links))
    return menu
