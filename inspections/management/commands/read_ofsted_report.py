"""Read Ofsted reports on councils' children's services and print what they say, as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from inspections.official_data.report_reader import read_report


class Command(BaseCommand):
    help = (
        "Read Ofsted reports (PDF) on councils' children's services and print one JSON "
        "array, one object per file. Exits with 1 when any file could not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="A report, as a PDF file.")

    def handle(self, *args, files: list[str], **options):
        readings = [read_report(path) for path in files]
        self.stdout.write(
            json.dumps([reading.to_json() for reading in readings], ensure_ascii=False, indent=2)
        )
        failed = sum(1 for reading in readings if reading.error)
        if failed:
            # Every file is still printed; the exit status tells a script that one failed.
            raise CommandError(f"{failed} of {len(readings)} files could not be read.")
