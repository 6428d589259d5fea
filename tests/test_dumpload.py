"""A backup restores completely: dumpdata from a loaded database, loaddata into a fresh one.

Runs on the database the suite runs on: the loaded database is the test database, the
fresh one a new SQLite file, or a new PostgreSQL database on the same server (named
after DATABASE_URL's, plus "_dumpload"). The fresh side runs in a subprocess, as a
restore would: `python -m tests.test_dumpload FRESH_DUMP OUTPUT`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Made by `migrate` on any database, so not part of a backup; compared by natural key.
CREATED_BY_MIGRATE = ("contenttypes.contenttype", "auth.permission")


def table_contents() -> dict[str, dict]:
    """Every model's row count and rows, in a form two databases can be compared in."""
    from django.apps import apps
    from django.core import serializers

    contents = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        natural = label in CREATED_BY_MIGRATE
        rows = serializers.serialize(
            "python",
            model._base_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=natural,
        )
        encoded = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
        contents[label] = {"count": model._base_manager.count(), "rows": encoded}
    return contents


def dump(path: Path) -> None:
    from django.core.management import call_command

    call_command(
        "dumpdata",
        "--natural-foreign",
        "--all",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--indent=1",
        output=str(path),
        verbosity=0,
    )


def restore(dump_path: Path, output: Path) -> None:
    """In the subprocess: migrate the fresh database, load the dump, report what it holds."""
    from django.core.management import call_command

    from inspections.models import Theme

    call_command("migrate", verbosity=0)
    call_command("loaddata", str(dump_path), verbosity=0)
    contents = table_contents()
    # The restored database takes new rows: loaddata reset the primary key sequences.
    Theme.objects.create(name="Added after the restore", slug="added-after-the-restore")
    output.write_text(json.dumps(contents))


def fresh_database_url(tmp_path: Path) -> tuple[str, callable]:
    """A URL for an empty database of the suite's kind, and how to drop it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_dumpload"
    server = {
        key: value
        for key, value in {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
        }.items()
        if value
    }

    def run(sql):
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql)

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}", lambda: run(f'DROP DATABASE "{name}"')


@pytest.fixture
def loaded_database(db):
    """The seed data, 15 synthetic years of two authorities, a user, a log entry, a session."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from inspections.models import Event

    from .builders import generate

    call_command("loaddata", "west_sussex", verbosity=0)
    generate(2, seed=11)
    admin = User.objects.create_superuser("admin", "admin@example.org", "a-long-password")
    event = Event.objects.order_by("pk").first()
    event.summary = "Ofsted’s “inadequate” judgement — £1.5m promised"
    event.save()
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(event.pk),
        object_repr=str(event)[:200],
        action_flag=CHANGE,
        change_message="Changed summary.",
    )
    session = SessionStore()
    session["officer"] = "signed in"
    session.create()


def test_dumpdata_then_loaddata_into_a_fresh_database_loses_nothing(loaded_database, tmp_path):
    from inspections.models import Event, Figure, Finding, Judgement, Statement

    assert Event.objects.count() > 40 and Finding.objects.count() > 100
    assert Judgement.objects.exists() and Figure.objects.exists() and Statement.objects.exists()
    dump_path, output = tmp_path / "backup.json", tmp_path / "restored.json"
    dump(dump_path)
    before = table_contents()
    url, drop = fresh_database_url(tmp_path)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        subprocess.run(
            [sys.executable, "-m", "tests.test_dumpload", str(dump_path), str(output)],
            cwd=ROOT,
            env=env | {"DATABASE_URL": url},
            check=True,
            timeout=300,
        )
    finally:
        drop()
    after = json.loads(output.read_text())
    assert set(after) == set(before)
    for label, table in before.items():
        assert after[label]["count"] == table["count"], label
        assert after[label]["rows"] == table["rows"], label
    assert before["inspections.event"]["count"] == Event.objects.count()


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ofsted_tracker.settings")
    django.setup()
    restore(Path(sys.argv[1]), Path(sys.argv[2]))
