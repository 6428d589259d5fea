"""Only the proxy is believed about who a client is: the login lockout cannot be dodged by
writing X-Forwarded-For.

A process that talks to gunicorn's TCP port directly is known by its own address, whatever
header it sends; nginx (deploy/nginx/, on gunicorn's Unix socket as in production) replaces
the header with the client's address, and that is the address the lockout counts.
"""

import http.client
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from ofsted_tracker.login_throttling import client_ip

from ..conftest import require
from ..servers import free_port, gunicorn_command, migrated_sqlite_site, running
from .test_security_slow_clients import nginx_config

LIMIT = 3  # DJANGO_LOGIN_FAILURE_LIMIT for these servers, within nginx's burst of 5
PAUSED = "Signing in is paused"


def test_a_direct_client_is_known_by_its_own_address_whatever_it_writes():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "127.0.0.1"


def test_the_proxy_on_the_socket_or_at_a_configured_address_is_believed(settings):
    on_socket = RequestFactory().get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(on_socket) == "203.0.113.9"
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    proxied = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(proxied) == "1.2.3.4"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(gunicorn's TCP port, nginx's port, the site's database file)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    require(bool(nginx), "nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("trusted-proxy")
    env = migrated_sqlite_site(tmp) | {"DJANGO_LOGIN_FAILURE_LIMIT": str(LIMIT)}
    gunicorn_port, nginx_port = free_port(), free_port()
    socket_path = tmp / "gunicorn.sock"
    gunicorn = gunicorn_command(gunicorn_port, workers=1) + ["--bind", f"unix:{socket_path}"]
    config = nginx_config(tmp, nginx_port, f"unix:{socket_path}")
    with (
        running(gunicorn, gunicorn_port, tmp / "gunicorn.log", env),
        running([nginx, "-p", str(tmp), "-c", str(config)], nginx_port, tmp / "nginx.log"),
    ):
        yield gunicorn_port, nginx_port, tmp / "site.sqlite3"


def request(port, method, path, body=None, headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=20, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        connection.close()


def sign_in_form(gunicorn_port):
    """A CSRF cookie and token, fetched from gunicorn itself (not counted by nginx's limit)."""
    status, cookie, html = request(gunicorn_port, "GET", "/admin/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return re.search(r"csrftoken=([^;]+)", cookie).group(1), token


def sign_in(port, form, username, forwarded_for, source="127.0.0.1"):
    cookie, token = form
    body = urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "not-the-password"}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "X-Forwarded-For": forwarded_for,
    }
    status, _, html = request(port, "POST", "/admin/login/", body, headers, source)
    return status, PAUSED in html


def addresses_counted(database: Path, username: str) -> set[str]:
    with sqlite3.connect(database, timeout=10) as connection:
        rows = connection.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = ?", [username]
        )
        return {address for (address,) in rows}


def test_a_direct_client_rotating_x_forwarded_for_meets_the_lockout(servers):
    gunicorn_port, _, database = servers
    form = sign_in_form(gunicorn_port)
    for n in range(LIMIT - 1):
        assert sign_in(gunicorn_port, form, "direct", f"198.51.100.{n}") == (200, False)
    # The failure that reaches the limit, and every try after it, is refused.
    assert sign_in(gunicorn_port, form, "direct", "198.51.100.98") == (429, True)
    assert sign_in(gunicorn_port, form, "direct", "198.51.100.99") == (429, True)
    assert addresses_counted(database, "direct") == {"127.0.0.1"}


def test_through_nginx_the_clients_own_address_is_counted(servers):
    gunicorn_port, nginx_port, database = servers
    form = sign_in_form(gunicorn_port)
    for n in range(LIMIT - 1):
        status = sign_in(nginx_port, form, "proxied", f"198.51.100.{n}", source="127.0.0.2")
        assert status == (200, False)
    for forwarded_for in ("203.0.113.1", "203.0.113.2"):
        status = sign_in(nginx_port, form, "proxied", forwarded_for, source="127.0.0.2")
        assert status == (429, True)
    # The address nginx wrote, not the client's header, is the one counted ...
    assert addresses_counted(database, "proxied") == {"127.0.0.2"}
    # ... so another client, at another address, is not paused for the same name.
    assert sign_in(nginx_port, form, "proxied", "127.0.0.2", source="127.0.0.3") == (200, False)
