"""Seeding a database that editors may already have changed: add what is missing, never
overwrite or bring back.

`manage.py seed` runs at every `make run`. Django's `loaddata` would write every record
of the fixture as the fixture has it, reverting an editor's correction and restoring a
record an editor deleted, with nothing in the history. Here a fixture record is written
only when no record has its primary key and the history does not show one deleted; the
imports run in the same spirit (`keep_existing`). What was left alone is counted and
reported.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from ..models import rules
from .import_results import Tally


def fixture_path(name: str) -> Path:
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / f"{name}.json"
        if path.is_file():
            return path
    raise CommandError(f"There is no fixture called {name}.json in {settings.FIXTURE_DIRS}.")


def deleted_keys(model) -> set:
    """The primary keys of `model`'s records that the history shows deleted and that are
    not on the site now (a record restored from its history is on the site again)."""
    history = getattr(model, "history", None)
    if history is None:
        return set()
    deleted = set(history.filter(history_type="-").values_list("id", flat=True))
    return deleted - set(model._base_manager.filter(pk__in=deleted).values_list("pk", flat=True))


def add_missing_from_fixture(name: str) -> Tally:
    """Write the fixture's records that the site lacks and no editor deleted."""
    tally = Tally()
    objects = list(serializers.deserialize("json", fixture_path(name).read_text()))
    by_model: dict = {}
    for item in objects:
        by_model.setdefault(type(item.object), []).append(item)
    for model, items in by_model.items():
        kind = str(model._meta.verbose_name_plural).capitalize()
        stored = model._base_manager.in_bulk([i.object.pk for i in items])
        present = set(stored)
        if hasattr(model, "natural_key"):
            for item in items:
                there = stored.get(item.object.pk)
                if there is not None and there.natural_key() != item.object.natural_key():
                    raise CommandError(
                        "The seed data clashes with records already in the database: "
                        f"{model._meta.verbose_name} {item.object.pk} is {there} here, not "
                        f"{item.object}. Seed an empty database, or one that was seeded before."
                    )
        deleted = deleted_keys(model)
        for item in items:
            if item.object.pk in present:
                tally.keep(kind)
            elif item.object.pk in deleted:
                tally.count(kind, "not_restored")
            else:
                refuse_broken_rules(item.object)
                item.save()
                tally.add(kind)
    reset_sequences(list(by_model))
    return tally


def refuse_broken_rules(record) -> None:
    """The rules that span rows (inspections/models/rules.py) hold for a fixture's
    records as for an editor's: a record that breaks one stops the seed with its sentence."""
    try:
        rules.check(record)
    except ValidationError as error:
        raise CommandError(
            f"The seed data's {record._meta.verbose_name} {record.pk} is refused: "
            + " ".join(error.messages)
        ) from error


def reset_sequences(models: list) -> None:
    """After records were written with the fixture's primary keys, move each table's key
    sequence past them, as `loaddata` does: on PostgreSQL the next new record (a council
    imported next) would otherwise be given key 1 and clash with West Sussex."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
