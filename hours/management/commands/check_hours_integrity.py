"""Prove that every reference from the hours tables points at an existing row.

The records and feed tables are written at provincial volume without per-row foreign-key checks (see
hours.models.TrainingRecord); this command is the check, one anti-join per reference. It exits with status 1 and
names the counts when anything dangles, so it can run from cron or a monitoring probe.
"""

from django.core.management.base import BaseCommand, CommandError

from hours.integrity import dangling_references


class Command(BaseCommand):
    help = "Check that hours records and feed entries reference existing bases, classes, persons, regions and records."

    def handle(self, *args, **options):
        problems = {name: count for name, count in dangling_references().items() if count}
        if problems:
            raise CommandError(
                "dangling references: " + ", ".join(f"{name}={count}" for name, count in problems.items())
            )
        self.stdout.write(self.style.SUCCESS("hours integrity: every reference resolves"))
