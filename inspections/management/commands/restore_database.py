"""Restores a backup made by backup_database into an empty database.

python manage.py restore_database FILE
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ofsted_tracker.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore FILE, made by backup_database, into the configured (empty) database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {file}. Run `manage.py migrate` if the code is newer than the backup."
        )
