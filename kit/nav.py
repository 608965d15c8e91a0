"""The header's registry: each app registers the pages it offers in the header, each under one task group.

An entry is a label, a URL name, the `active_nav` key its pages set, the group it belongs to and
`shows(actor)` saying whose header carries it. Apps register theirs in their AppConfig.ready(); the portal
defines the groups (the tasks: 申报与认定, 基地运行, 监督检查, 学时, 系统管理) and builds each user's menu from
the entries without importing the apps (DESIGN.md, Layout), as 我的待办 does with kit.todos.
"""

from collections.abc import Callable
from dataclasses import dataclass

_entries: dict[str, "NavEntry"] = {}

# The task groups an entry belongs to; the portal gives them their labels and order.
APPLY = "apply"  # 申报与认定
OPERATION = "operation"  # 基地运行
SUPERVISION = "supervision"  # 监督检查
HOURS = "hours"  # 学时
SYSTEM = "system"  # 系统管理
PUBLIC = "public"  # 公开信息


@dataclass(frozen=True)
class NavEntry:
    key: str  # the `active_nav` value of the entry's pages
    label: str
    url_name: str
    group: str
    order: int = 100
    shows: Callable = lambda actor: False


def register_nav_entry(key: str, label, url_name: str, *, group: str, order: int = 100, shows: Callable):
    _entries[key] = NavEntry(key, label, url_name, group, order, shows)


def register_nav_entries(entries_by_group: dict) -> None:
    """Register an app's entries in one call: {group: [(key, label, url_name, order, shows), ...]}."""
    for group, entries in entries_by_group.items():
        for key, label, url_name, order, shows in entries:
            register_nav_entry(key, label, url_name, group=group, order=order, shows=shows)


def nav_entries_for(actor) -> list[NavEntry]:
    """Return the entries `actor` sees, in their order."""
    return sorted((e for e in _entries.values() if e.shows(actor)), key=lambda e: (e.order, e.key))


def all_nav_entries() -> list[NavEntry]:
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))
