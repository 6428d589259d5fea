"""Backups that always restore: the database engine's own tools, never `dumpdata`.

`dumpdata --natural-foreign` fails once a record with history has been deleted (the
history rows keep the ids of rows that no longer exist), and it carries the live
sessions. Instead:

- PostgreSQL: `pg_dump --format=custom` without the sessions' rows, restored with
  `pg_restore` into an empty database;
- SQLite: the online backup API (a consistent copy while the site runs), with the
  sessions deleted from the copy with secure_delete, so that nothing of them is left.

A backup holds password hashes and two-factor secrets: it is written readable by its
owner only. The commands over these functions are `manage.py backup_database FILE` and
`manage.py restore_database FILE`.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SESSIONS_TABLE = "django_session"


class BackupError(Exception):
    """A backup or restore that cannot be done, with one sentence saying why."""


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, else the newest Debian PostgreSQL's."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return candidates[-1]


def postgres_connection_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    arguments = [f"--dbname={settings_dict['NAME']}"]
    if settings_dict.get("HOST"):
        arguments.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        arguments.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        arguments.append(f"--username={settings_dict['USER']}")
    env = os.environ.copy()
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return arguments, env


def run(command: list[str], env: dict | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{Path(command[0]).name} failed: {last_line}")


def private_file(path: Path) -> None:
    """An empty file only its owner can read, so that the backup is never readable by others."""
    path.touch(mode=0o600, exist_ok=False)
    path.chmod(0o600)


def backup(path: Path, using: str = "default") -> None:
    """Writes a backup of the database to `path`, which must not exist yet."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup into.")
    connection = connections[using]
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)
    try:
        if connection.vendor == "postgresql":
            arguments, env = postgres_connection_arguments(connection.settings_dict)
            run(
                [
                    postgres_tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--exclude-table-data={SESSIONS_TABLE}",
                    f"--file={partial}",
                    *arguments,
                ],
                env,
            )
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
                # Overwrites the deleted rows with zeros (VACUUM cannot run here: the
                # schema's checks call functions that only Django's connection has).
                target.execute("PRAGMA secure_delete = ON")
                target.execute(f'DELETE FROM "{SESSIONS_TABLE}"')
                target.commit()
            finally:
                target.close()
        else:
            raise BackupError(f"Backing up a {connection.vendor} database is not supported.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def restore(path: Path, using: str = "default") -> None:
    """Restores a backup made by `backup` into the configured database, which must be empty."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.")
    connection = connections[using]
    if connection.introspection.table_names():
        raise BackupError(
            "The database already has tables: restore into a new, empty database "
            "(createdb, or a new SQLite file), so that nothing is mixed or lost."
        )
    if connection.vendor == "postgresql":
        arguments, env = postgres_connection_arguments(connection.settings_dict)
        run([postgres_tool("pg_restore"), "--list", str(path)], env)  # is it a backup at all?
        run(
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *arguments,
                str(path),
            ],
            env,
        )
    elif connection.vendor == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                    raise BackupError(f"{path} is a damaged SQLite file.")
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not an SQLite backup ({error}).") from None
    else:
        raise BackupError(f"Restoring a {connection.vendor} database is not supported.")
