"""python manage.py import_councils [--providers CSV] [--neighbours CSV]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.official_data.council_import import (
    NEIGHBOURS_FILE,
    PROVIDERS_FILE,
    import_council_files,
)
from inspections.official_data.import_results import ImportRefused


class Command(BaseCommand):
    help = (
        "Load every council (current and former) with its codes, region and DfE statistical "
        "neighbours from the two lookup files; importing the same files again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--providers",
            type=Path,
            default=PROVIDERS_FILE,
            help="data-to-insight's Provider_data_lookup.csv (default: the copy in fixtures/).",
        )
        parser.add_argument(
            "--neighbours",
            type=Path,
            default=NEIGHBOURS_FILE,
            help="The DfE's statistical neighbour groupings CSV (default: fixtures/).",
        )

    def handle(self, *args, providers: Path, neighbours: Path, **options):
        try:
            tally = import_council_files(providers, neighbours)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        for line in tally.lines():
            self.stdout.write(line)
