"""python manage.py seed: everything `make run` shows, loaded again without duplicates."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from inspections.official_data.council_import import import_council_files
from inspections.official_data.import_results import ImportRefused
from inspections.official_data.outcomes_import import import_outcomes_file
from inspections.official_data.plan_outcomes import link_seed_plans
from inspections.official_data.seeding import add_missing_from_fixture

SEED_FIXTURE = "west_sussex"
OUTCOMES_FILE = (
    settings.BASE_DIR / "fixtures" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
)


class Command(BaseCommand):
    help = (
        "Load the West Sussex seed data (fixtures/west_sussex.json), every council with its "
        "statistical neighbours, and Ofsted's statistics (fixtures/ofsted/), in one "
        "transaction. It only adds what is missing: a record already on the site stays as "
        "editors left it, and one an editor deleted is not brought back."
    )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                # The fixture first: its records have fixed primary keys (West Sussex is
                # authority 1, the one pages show by default), which the imports then find.
                try:
                    fixture = add_missing_from_fixture(SEED_FIXTURE)
                except IntegrityError as clash:
                    raise CommandError(
                        "The seed data clashes with records already in the database: seed an "
                        "empty database, or one that was seeded before."
                    ) from clash
                councils = import_council_files(keep_existing=True)
                outcomes = import_outcomes_file(OUTCOMES_FILE, keep_existing=True)
                # Last: a plan's outcome may come from the statistics.
                plans = link_seed_plans()
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Seed data (fixtures/{SEED_FIXTURE}.json):")
        for line in fixture.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("Councils and statistical neighbours (fixtures/ofsted/):")
        for line in councils.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Ofsted's statistics ({OUTCOMES_FILE.name}):")
        for line in outcomes.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("Plans and what took place (inspections/official_data/plan_outcomes.py):")
        for line in plans.lines():
            self.stdout.write(f"  {line}")
