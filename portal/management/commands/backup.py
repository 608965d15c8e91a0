"""manage.py backup DIR: the database and every stored file, with a manifest (portal/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new folder below DIR, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("destination")

    def handle(self, *args, destination, **options):
        try:
            folder = backup.backup(destination)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.read_manifest(folder)
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            f"Backup written to {folder}: {len(manifest['database']['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files."
        )
