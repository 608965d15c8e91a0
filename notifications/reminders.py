"""Reminders: every app registers a provider of what is due; send_due_reminders() sends each reminder once.

A provider is `fn(today) -> iterable[DueReminder]`. Each DueReminder names its object, kind and step; the
ledger's unique key (kind, object, step) makes the run idempotent. Providers yield only the *current* step of
each object (the latest step that has come due), so a day the beat missed is caught up on the next run and
steps older than the current one are skipped as stale.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ReminderLedger
from .services import notify

_providers: dict = {}


@dataclass
class DueReminder:
    kind: str
    object_type: str
    object_id: str
    step: str
    title: str
    body: str = ""
    url: str = ""
    recipients: list = field(default_factory=list)

    @property
    def key(self):
        return f"{self.kind}:{self.object_type}:{self.object_id}:{self.step}"


@dataclass
class RunResult:
    sent: list = field(default_factory=list)
    skipped: int = 0


def register_provider(name: str, fn) -> None:
    _providers[name] = fn


def current_step(days_left: int, steps: list[int]) -> int | None:
    """The latest of `steps` (days before a deadline) that has come due, or None if none has yet.

    steps [30, 14, 7, 1], 20 days left → 30; 10 left → 14; 0 left → 1; 31 left → None.
    """
    due = [s for s in steps if days_left <= s]
    return min(due) if due else None


def send_due_reminders(*, today: date | None = None, dry_run: bool = False) -> RunResult:
    """Ask every provider what is due today and send each reminder not yet in the ledger."""

    today = today or timezone.localdate()
    result = RunResult()
    for _name, provider in sorted(_providers.items()):
        for due in provider(today):
            if ReminderLedger.objects.filter(key=due.key).exists():
                result.skipped += 1
                continue
            if dry_run:
                result.sent.append(due)
                continue
            try:
                with transaction.atomic():
                    # The insert is the lock: a second beat or a concurrent run fails here and sends nothing.
                    ReminderLedger.objects.create(
                        key=due.key,
                        kind=due.kind,
                        object_type=due.object_type,
                        object_id=due.object_id,
                        step=due.step,
                        recipients=len(due.recipients),
                        run_date=today,
                    )
                    notify(
                        users=due.recipients,
                        kind=f"reminder.{due.kind}",
                        title=due.title,
                        body=due.body,
                        url=due.url,
                    )
            except IntegrityError:
                result.skipped += 1
                continue
            result.sent.append(due)
    return result
