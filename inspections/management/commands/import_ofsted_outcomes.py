"""python manage.py import_ofsted_outcomes PATH.ods [--release-url URL]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.official_data.import_results import ImportRefused
from inspections.official_data.outcomes_import import import_outcomes_file


class Command(BaseCommand):
    help = (
        "Import Ofsted's 'Local authority inspection outcomes as at 31 March YYYY' (ODS): "
        "the latest judgements, the year's inspections and visits, and the ILACS history. "
        "Load the councils first (import_councils). Importing the same file again changes "
        "nothing; a file that is not right is refused and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .ods file as Ofsted publishes it.")
        parser.add_argument(
            "--release-url",
            default="",
            help="The release's page on GOV.UK, when it is not the address GOV.UK makes "
            "from the title.",
        )

    def handle(self, *args, path: Path, release_url: str, **options):
        try:
            tally = import_outcomes_file(path, release_url)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        for line in tally.lines():
            self.stdout.write(line)
