"""The one workflow engine: every state change of every workflow runs through `Machine.run`.

It stands between `audit`/`accounts` and the domain apps: it imports `kit` and `audit`; each domain app
declares its tables in its own `workflow.py`.
"""

from .machine import Machine, Transition

__all__ = ["Machine", "Transition"]
