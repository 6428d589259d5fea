"""A backup always restores: after deletions, every table comes back equal, sessions left out.

Runs on the database the suite runs on (SQLite, or the PostgreSQL server of DATABASE_URL,
with pg_dump and pg_restore). The restore goes into a fresh database of the same kind, in
subprocesses, as a restore on a new machine would: `manage.py restore_database FILE`, then
`python -m tests.security.test_security_backup OUTPUT` to read every table back.
"""

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# Models are imported inside the tests: this module also runs on its own, in the restored
# database's subprocess, before Django is set up.

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = "django_session"


def every_table() -> dict[str, dict]:
    """Each table's column names and rows, sorted, as text two databases can be compared in."""
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [column[0] for column in cursor.description]
            rows = sorted(json.dumps(list(row), default=str) for row in cursor.fetchall())
            tables[table] = {"columns": columns, "rows": rows}
    return tables


def fresh_database_url(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """An empty database of the suite's kind, and how to drop it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_restore"
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


def in_fresh_database(url: str, *command: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def postgres_tools():
    from django.db import connection

    if connection.vendor == "postgresql":
        from ofsted_tracker.backups import BackupError, postgres_tool

        from ..conftest import require

        try:
            postgres_tool("pg_dump"), postgres_tool("pg_restore")
        except BackupError as error:
            require(False, str(error))


@pytest.mark.django_db(transaction=True)
def test_a_backup_after_a_theme_and_its_finding_were_deleted_restores_every_table(
    tmp_path, postgres_tools
):
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from inspections.models import Event, Finding, Theme

    from ..builders.records import make_finding, make_theme

    call_command("loaddata", "west_sussex", verbosity=0)
    User.objects.create_superuser("manager", "manager@example.org", "a-long-password-2026")
    session = SessionStore()
    session["signed in"] = "yes"
    session.create()
    theme = make_theme(name="A theme entered in error", slug="entered-in-error")
    finding = make_finding(Event.objects.order_by("pk").first(), theme)
    finding_id, theme_id = finding.pk, theme.pk
    finding.delete()
    theme.delete()
    # The history keeps the deleted rows' ids: what made `dumpdata --natural-foreign` fail.
    assert Finding.history.filter(id=finding_id, history_type="-").exists()
    assert Theme.history.filter(id=theme_id, history_type="-").exists()

    backup_file = tmp_path / "ofsted.backup"
    call_command("backup_database", str(backup_file), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # it holds password hashes
    before = every_table()
    assert before[SESSIONS]["rows"]

    url, drop = fresh_database_url(tmp_path)
    output = tmp_path / "restored.json"
    try:
        restored = in_fresh_database(url, "manage.py", "restore_database", str(backup_file))
        assert restored.returncode == 0, restored.stderr
        read = in_fresh_database(url, "-m", "tests.security.test_security_backup", str(output))
        assert read.returncode == 0, read.stderr
        again = in_fresh_database(url, "manage.py", "restore_database", str(backup_file))
        assert again.returncode != 0 and "already has tables" in again.stderr
    finally:
        drop()
    after = json.loads(output.read_text())

    assert after[SESSIONS]["rows"] == []  # sessions are left out
    assert set(after) == set(before)
    for table in before:
        if table != SESSIONS:
            assert after[table] == before[table], table


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "yesterday.backup"
    existing.write_text("yesterday's backup")
    with pytest.raises(CommandError, match="already exists: choose a new file name"):
        call_command("backup_database", str(existing))
    assert existing.read_text() == "yesterday's backup"


@pytest.mark.django_db
def test_restoring_refuses_a_database_that_has_tables(tmp_path):
    backup_file = tmp_path / "any.backup"
    backup_file.write_bytes(b"whatever it holds, it must not be mixed into a live database")
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore_database", str(backup_file))


@pytest.mark.django_db
def test_restoring_refuses_a_file_that_is_not_a_backup(tmp_path):
    from django.db import connection

    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    url, drop = fresh_database_url(tmp_path)
    try:
        result = in_fresh_database(url, "manage.py", "restore_database", str(not_a_backup))
    finally:
        drop()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    expected = "pg_restore failed" if connection.vendor == "postgresql" else "not an SQLite backup"
    assert expected in result.stderr


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ofsted_tracker.settings")
    django.setup()
    Path(sys.argv[1]).write_text(json.dumps(every_table()))
