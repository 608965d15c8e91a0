"""Run the daily reminder job by hand: `manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Send every reminder that is due (each exactly once); --dry-run lists them without sending."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        result = send_due_reminders(today=today, dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        for due in result.sent:
            self.stdout.write(f"{verb} {due.key} to {len(due.recipients)} recipient(s): {due.title}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(result.sent)} reminder(s) {verb}, {result.skipped} already sent")
        )
