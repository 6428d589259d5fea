"""Backs up the database with its engine's own tools (ofsted_tracker/backups.py).

python manage.py backup_database FILE
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ofsted_tracker.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database to FILE (PostgreSQL: pg_dump's custom format; SQLite: a copy), "
        "without the sessions. The file holds password hashes: keep it safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {file} (readable by its owner only).")
