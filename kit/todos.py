"""The 我的待办 registry: each app contributes a function that lists what waits for a user.

A provider is `fn(user, actor) -> list[TodoItem]`. Apps register theirs in their AppConfig.ready().
"""

from dataclasses import dataclass

_providers = []


@dataclass
class TodoItem:
    title: str
    url: str
    detail: str = ""
    due: object = None
    category: str = ""


def register_todo_provider(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


def todos_for(user, actor):
    items = []
    for provider in _providers:
        items.extend(provider(user, actor))
    return items
