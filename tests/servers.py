"""Real servers for the tests that need them: gunicorn (and nginx) on loopback ports.

Every wait is bounded in time; a server that stops early fails the test with its log.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(log.read_text() if log.exists() else "the server stopped")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listens on port {port}")


@contextmanager
def running(command: list[str], port: int, log: Path, env: dict | None = None):
    """Run `command` from the project's root until the block ends; its output goes to `log`."""
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, process, log)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


# The first site's database as it was just after `migrate`: the next site starts from a
# copy, not from another `migrate` (seconds of work on a busy machine).
MIGRATED: dict[str, Path] = {}


def migrated_sqlite_site(tmp: Path) -> dict:
    """The environment for a site on a new, migrated SQLite file in `tmp`, over plain HTTP."""
    database = tmp / "site.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    if "sqlite" in MIGRATED and MIGRATED["sqlite"].is_file():
        shutil.copyfile(MIGRATED["sqlite"], database)
        return env
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    MIGRATED["sqlite"] = shutil.copyfile(database, tmp / "migrated.sqlite3")
    return env


def gunicorn_command(port: int, workers: int) -> list[str]:
    """The production gunicorn (gunicorn.conf.py) on a loopback port."""
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return command + ["ofsted_tracker.wsgi"]
