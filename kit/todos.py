"""The 我的待办 registry: each app contributes functions that list what waits for a user, and the groups they
are shown in.

A provider is `fn(user, actor) -> list[TodoItem]`; a group is a key, a label, a hint saying what will appear in
it, and `applies(actor)` saying whose page shows it even when it is empty. Apps register theirs in their
AppConfig.ready(): the portal shows them without importing the apps (DESIGN.md, Layout). A provider runs a
fixed number of queries however many items it returns.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_providers = []
_groups = {}


@dataclass
class TodoItem:
    title: str
    url: str  # the object the work is on, never a list
    detail: str = ""
    due: object = None
    category: str = ""
    # For an item that reports progress rather than asks for work: who acts next.
    next_step: str = ""


@dataclass(frozen=True)
class TodoGroup:
    key: str
    label: str
    hint: str = ""
    order: int = 100
    applies: Callable = lambda actor: False


@dataclass
class TodoSection:
    group: TodoGroup
    items: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


def register_todo_provider(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


def register_todo_group(key: str, label, *, hint="", order: int = 100, applies: Callable | None = None):
    _groups[key] = TodoGroup(key, label, hint, order, applies or (lambda actor: False))


def register_todo_groups(groups) -> None:
    """Register (key, label, hint, order, applies) tuples, an app's groups in one call."""
    for key, label, hint, order, applies in groups:
        register_todo_group(key, label, hint=hint, order=order, applies=applies)


def todos_for(user, actor) -> list[TodoItem]:
    items = []
    for provider in _providers:
        items.extend(provider(user, actor))
    return items


def _due_key(item):
    # Items with a due date first, the soonest on top; the others keep the provider's order.
    return (item.due is None, item.due or 0)


def todo_sections(user, actor) -> list[TodoSection]:
    """The user's items by group, in the groups' order: every group that has items or applies to the user's
    roles (an empty one says what will appear in it)."""
    sections = {}
    for item in todos_for(user, actor):
        group = _groups.get(item.category) or TodoGroup(item.category, item.category)
        sections.setdefault(group.key, TodoSection(group)).items.append(item)
    for group in _groups.values():
        if group.key not in sections and group.applies(actor):
            sections[group.key] = TodoSection(group)
    for section in sections.values():
        section.items.sort(key=_due_key)
    return sorted(sections.values(), key=lambda s: (s.count == 0, s.group.order, s.group.key))
