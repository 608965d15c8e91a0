"""manage.py backup_drill DIR --yes: back up, wipe, restore and compare, on a database you may lose."""

from django.core.management.base import BaseCommand, CommandError

from portal import backup

from .restore import report


class Command(BaseCommand):
    help = "The restore drill: back up into DIR, wipe the database and files, restore, compare with the manifest."

    def add_arguments(self, parser):
        parser.add_argument("destination")
        parser.add_argument("--yes", action="store_true", help="Confirm that this database may be wiped.")

    def handle(self, *args, destination, yes, **options):
        if not yes:
            raise CommandError(
                "The drill wipes this database and its files before restoring: run with --yes."
            )
        try:
            folder, manifest, result = backup.drill(destination)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"Drill on {folder}: {rows} rows, {len(manifest['files'])} files backed up and restored."
        )
        report(self, result)
