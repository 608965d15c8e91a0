"""manage.py restore FOLDER --yes: put a backup back and check it against its manifest (portal/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (replaces the database), then compare it with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current database is replaced."
        )

    def handle(self, *args, folder, yes, **options):
        if not yes:
            raise CommandError("Restoring replaces the current database and files: run again with --yes.")
        try:
            result = backup.restore(folder)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        report(self, result)


def report(command, result) -> None:
    for table, expected, found in result.tables:
        command.stderr.write(f"table {table}: {expected} rows in the manifest, {found} restored")
    for name, problem in result.files:
        command.stderr.write(f"file {name}: {problem}")
    if not result.ok:
        raise CommandError("The restore does not match the backup's manifest.")
    command.stdout.write(command.style.SUCCESS("Restored; every table and file matches the manifest."))
