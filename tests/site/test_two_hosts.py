"""Two hosts, one PostgreSQL and one Redis: an edit made on one is on the other's next page.

Each "host" is the production gunicorn (gunicorn.conf.py, DJANGO_DEBUG=false) on a loopback
port of its own, both on a new database of the server in OFSTED_TEST_POSTGRES_URL and on
the Redis in OFSTED_TEST_REDIS_URL (.ci/run starts both and exports them; locally the test
is skipped without them). The suite's own database and cache are not these. An editor
signs in to host A's admin (password and a recovery code) and renames an event; host B's
next timeline shows the new title.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import uuid
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import urlopen

import pytest

from ..admin_support import PASSWORD, form_data
from ..conftest import require
from ..servers import ROOT, free_port, gunicorn_command, running

# Redis database number for these servers: the PostgreSQL run's own cache uses 0.
REDIS_DB = 7
TIMEOUT = 30


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_urls() -> tuple[str, str]:
    postgres = os.environ.get("OFSTED_TEST_POSTGRES_URL", "")
    redis = os.environ.get("OFSTED_TEST_REDIS_URL", "")
    require(
        bool(postgres and redis),
        "set OFSTED_TEST_POSTGRES_URL (postgres://user@host:port/db) and "
        "OFSTED_TEST_REDIS_URL (redis://host:port) to run two hosts on them (.ci/run does)",
    )
    return postgres, redis.rstrip("/")


def redis_flush(url: str, db: int) -> None:
    """FLUSHDB on database `db`, in Redis' own protocol (no client library needed)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=10) as sock:
        sock.sendall(
            f"*2\r\n$6\r\nSELECT\r\n${len(str(db))}\r\n{db}\r\n*1\r\n$7\r\nFLUSHDB\r\n".encode()
        )
        replies = b""
        while replies.count(b"\r\n") < 2:
            chunk = sock.recv(1024)
            assert chunk, "Redis closed the connection"
            replies += chunk
    assert replies == b"+OK\r\n+OK\r\n", replies


@pytest.fixture
def database(tmp_path):
    """A new database on the PostgreSQL server, dropped afterwards."""
    import psycopg

    postgres, redis = server_urls()
    name = f"ofsted_two_hosts_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    redis_flush(redis, REDIS_DB)
    try:
        yield with_database(postgres, name), f"{redis}/{REDIS_DB}"
    finally:
        with psycopg.connect(postgres, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis_flush(redis, REDIS_DB)


def production_env(database_url: str, redis_url: str, static_root) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "OFSTED_TEST_"))
    }
    return env | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "two-hosts-test-key-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # Each worker asks for the data version on every request (with one shared cache
        # there is no per-worker copy to wait for).
        "DJANGO_DATA_VERSION_CACHE_MS": "0",
    }


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    ).stdout


class Browser:
    """A signed-in editor's browser, over plain HTTP to one host: the proxy's
    X-Forwarded-Proto says HTTPS, so the secure cookies are kept here by hand."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, fields=None) -> tuple[int, str, str]:
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{self.port}"}
        headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            location = response.getheader("Location") or ""
            return response.status, location, response.read().decode()
        finally:
            connection.close()

    def form(self, path: str) -> dict[str, str]:
        status, _, html = self.request("GET", path)
        return form_data(SimpleNamespace(status_code=status, content=html.encode()))


def sign_in(browser: Browser, code: str) -> None:
    status, _, html = browser.request("GET", "/admin/login/")
    assert status == 200, status
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD}
    status, location, _ = browser.request("POST", "/admin/login/", fields | {"otp_token": code})
    assert status == 302 and "login" not in location, (status, location)


def page(port: int, path: str) -> str:
    with urlopen(f"http://127.0.0.1:{port}{path}", timeout=TIMEOUT) as response:
        assert response.status == 200
        return response.read().decode()


SET_UP_EDITOR = f"""
from django.contrib.auth.models import Group, User
from inspections.models import Event
from inspections.admin.roles import EDITORS
user = User.objects.create_user("editor", "editor@example.org", {PASSWORD!r}, is_staff=True)
user.groups.add(Group.objects.get(name=EDITORS))
event = Event.objects.filter(authority__slug="west-sussex").order_by("-start_date", "pk")[0]
print("event:", event.kind, event.pk)
"""


def test_an_edit_on_one_host_is_on_the_others_next_response(database, tmp_path):
    database_url, redis_url = database
    env = production_env(database_url, redis_url, tmp_path / "static")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed")
    kind, pk = re.search(
        r"^event: (\w+) (\d+)$", manage(env, "shell", "-c", SET_UP_EDITOR), re.M
    ).groups()
    enrolled = manage(env, "enrol_two_factor", "editor")
    recovery_code = re.findall(r"^  ([a-z2-7]{8})$", enrolled, flags=re.M)[0]
    port_a, port_b = free_port(), free_port()
    title = f"Edited on host A {uuid.uuid4().hex[:8]}"
    with (
        running(gunicorn_command(port_a, workers=1), port_a, tmp_path / "a.log", env),
        running(gunicorn_command(port_b, workers=1), port_b, tmp_path / "b.log", env),
    ):
        # Both hosts have drawn the timeline (and keep it) before the edit.
        for port in (port_a, port_b):
            assert title not in page(port, "/")
            assert title not in page(port, "/")
        # An editor signs in to host A's admin, with a second factor, and renames the event.
        editor = Browser(port_a)
        sign_in(editor, recovery_code)
        change = (
            f"/admin/inspections/{'inspection' if kind == 'inspection' else 'visit'}/{pk}/change/"
        )
        fields = editor.form(change) | {"title": title}
        status, _, html = editor.request("POST", change, fields)
        assert status == 302, errors_in(html)
        # Host B's very next response has it, and so has host A's.
        assert title in page(port_b, "/")
        assert title in page(port_a, "/")


def errors_in(html: str) -> list[str]:
    return re.findall(r'class="errorlist[^"]*">(.*?)</ul>', html, flags=re.S)
