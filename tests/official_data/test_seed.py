"""manage.py seed: everything `make run` shows, in one command that can run again."""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.choices import AuthorityStatus, EventKind, EventStatus, SourceKind
from inspections.models import Event, LocalAuthority, Source
from inspections.official_data.council_import import import_council_files

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def table_contents() -> list:
    out = io.StringIO()
    call_command("dumpdata", "inspections", format="json", stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], r["pk"]))


@pytest.fixture
def seeded(db):
    return seed()


def test_seed_loads_the_articles_the_councils_and_the_statistics(seeded):
    assert Source.objects.filter(seed_file__endswith=".txt").count() == 5
    assert Source.objects.filter(kind=SourceKind.STATISTICS).count() == 1
    assert LocalAuthority.objects.filter(status=AuthorityStatus.CURRENT).count() == 153
    assert Event.objects.filter(authority__slug="kent").exists()
    assert "Councils: 157 added" in seeded and "Events: " in seeded


def test_seeding_again_leaves_every_table_as_it_was(seeded):
    before = table_contents()
    again = seed()
    assert table_contents() == before
    assert "Events: 0 added, 0 updated" in again
    assert "Judgements: 0 added, 0 updated" in again


def test_west_sussex_has_one_event_per_inspection_and_visit(seeded):
    seed()
    happened = Event.objects.filter(
        authority__slug="west-sussex",
        kind__in=[EventKind.INSPECTION, EventKind.FOCUSED_VISIT, EventKind.MONITORING_VISIT],
        status=EventStatus.HAPPENED,
    )
    by_year = Counter((e.kind, e.start_date.year) for e in happened)
    assert by_year[(EventKind.INSPECTION, 2019)] == 1
    assert by_year[(EventKind.INSPECTION, 2023)] == 1
    assert by_year[(EventKind.FOCUSED_VISIT, 2024)] == 1
    assert max(by_year.values()) == 1


def test_west_sussex_is_still_the_council_pages_show_first(seeded):
    assert LocalAuthority.objects.chosen(None).slug == "west-sussex"
    assert LocalAuthority.objects.filter(ons_code="E10000032").get().slug == "west-sussex"


def test_seed_refuses_a_database_where_its_records_would_clash(db):
    # Councils imported into an empty database take the primary keys the fixture uses.
    import_council_files()
    before = table_contents()
    with pytest.raises(CommandError, match="The seed data clashes with records already in"):
        seed()
    assert table_contents() == before


def test_seeding_again_keeps_what_editors_changed_and_deleted(seeded, editor_client):
    """`make run` seeds at every start: an editor's correction and deletion must survive,
    and the command says what it left alone."""
    from inspections.models import Finding, Judgement

    corrected, deleted = Finding.objects.order_by("pk")[:2]
    corrected.text = "Corrected by an editor."
    corrected.save()
    deleted_pk = deleted.pk
    deleted.delete()
    from_statistics = Event.objects.filter(sources__kind=SourceKind.STATISTICS)
    imported, gone = from_statistics.exclude(authority__slug="west-sussex").order_by("pk")[:2]
    imported.title = "An inspection retitled by an editor"
    imported.save()
    gone_slug = gone.slug
    Judgement.objects.filter(event=gone).delete()
    gone.event_sources.all().delete()
    gone.delete()

    again = seed()

    assert Finding.objects.get(pk=corrected.pk).text == "Corrected by an editor."
    assert not Finding.objects.filter(pk=deleted_pk).exists()
    assert Event.objects.get(pk=imported.pk).title.endswith("retitled by an editor")
    assert not Event.objects.filter(slug=gone_slug).exists()
    assert "Findings: 0 added, 0 updated" in again
    assert "1 deleted on the site and not brought back" in again
    assert "Events: 0 added, 0 updated" in again


def test_seeding_a_new_database_leaves_room_for_new_records(db):
    """The fixture's records keep their own keys; new ones (the councils imported after
    them, a council an editor adds) must not be given those keys. On PostgreSQL each
    table's key sequence is set back to its start first, as in a new database."""
    from django.core.management.color import no_style
    from django.db import connection

    from inspections.official_data.seeding import fixture_path

    models = {
        json_record["model"] for json_record in json.loads(fixture_path("west_sussex").read_text())
    }
    tables = [{"table": name.replace(".", "_"), "column": "id"} for name in models]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_by_name_sql(no_style(), tables):
            cursor.execute(statement)
    seed()
    added = LocalAuthority.objects.create(name="Newshire Council", slug="newshire")
    assert LocalAuthority.objects.get(slug="newshire") == added
    assert LocalAuthority.objects.get(slug="west-sussex").name == "West Sussex County Council"
