"""The health check, and a clear 503 page (never a stack trace) when the database is down."""

import http.client
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from ..html import page_of
from ..public_pages import build_site, public_urls
from ..servers import free_port

ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "Sorry, the service is unavailable"


@contextmanager
def database_down():
    """Every attempt to use the database fails as it does when the server is gone."""
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=error):
        yield


@pytest.fixture
def browser_client():
    """A client that gets what a browser gets, rather than the exception re-raised."""
    return Client(raise_request_exception=False)


def stylesheets(html: str) -> list[str]:
    return [link.attrs["href"] for link in page_of(html).find_all("link", rel="stylesheet")]


def assert_unavailable_page(response):
    assert response.status_code == 503
    html = response.content.decode()
    shown = page_of(html)
    assert shown.headings(1) == [UNAVAILABLE]
    assert "cannot reach its database" in shown
    assert "Traceback" not in html and "OperationalError" not in html
    # The site's own design: its style sheets and its header naming the council.
    assert any("/vendor/govuk/" in href for href in stylesheets(html))
    assert any("/app/app." in href for href in stylesheets(html))
    assert settings.SITE_COUNCIL_NAME in shown.find(role="banner")
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_the_health_check_says_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "via_proxy": False}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_answers_503_when_the_database_is_down(browser_client):
    with database_down():
        response = browser_client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "via_proxy": False,
    }


@pytest.mark.django_db
def test_every_public_page_shows_the_503_page_when_the_database_is_down(browser_client):
    build_site()
    urls = public_urls()
    with database_down():
        for name, url in urls.items():
            response = browser_client.get(url)
            assert_unavailable_page(response)
            assert "Content-Security-Policy" in response, name


@pytest.mark.django_db
def test_an_admin_sign_in_while_the_database_is_down_shows_the_503_page(browser_client):
    with database_down():
        response = browser_client.post(
            reverse("admin:login"), {"username": "officer", "password": "secret-words"}
        )
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_a_bug_that_is_not_the_database_still_shows_the_500_page(browser_client):
    # A bug in drawing the timeline's items.
    with mock.patch("inspections.timeline.views.timeline_items", side_effect=RuntimeError("a bug")):
        response = browser_client.get(reverse("inspections:timeline"))
    assert response.status_code == 500
    assert page_of(response).headings(1) == ["Sorry, there is a problem with the service"]


# The real thing: gunicorn in a subprocess, requests over loopback. ---------------------


def get(port: int, path: str, headers=None):
    """GET over loopback as the TLS-terminating proxy would send it; no redirects followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@contextmanager
def server(command, env, port):
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            try:
                get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not start")
        yield
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return env | {
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-these-tests-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DATABASE_URL": f"sqlite:///{tmp / 'production.sqlite3'}",
    }


def test_the_production_command_serves_the_site_with_hashed_compressed_static_files(
    production_env,
):
    """`make serve-production`: deploy check, collectstatic, migrate, gunicorn."""
    port = free_port()
    command = ["make", "--no-print-directory", "serve-production", f"PORT={port}"]
    with server(command, production_env, port):
        status, headers, body = get(port, "/healthz")
        assert (status, json.loads(body)["status"]) == (200, "ok")
        status, headers, body = get(port, "/")
        assert status == 200
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        (stylesheet,) = [s for s in stylesheets(body.decode()) if s.startswith("/static/app/app.")]
        assert stylesheet != "/static/app/app.css", "a hashed name"
        status, headers, css = get(port, stylesheet, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        status, headers, _ = get(port, "/", {"X-Forwarded-Proto": "http"})
        assert status == 301 and headers["Location"].startswith("https://")


def test_gunicorn_shows_the_503_page_when_the_database_port_is_closed(production_env):
    """PostgreSQL is 'down': nothing listens on the port the site is configured for."""
    env = production_env | {"DJANGO_DEBUG": "false"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    closed = free_port()  # bound and released: nothing listens there now
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{closed}/ofsted"
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "ofsted_tracker.wsgi"]
    with server(command, env, port):
        status, headers, body = get(port, "/healthz")
        assert status == 503
        assert json.loads(body)["status"] == "unavailable"
        assert json.loads(body)["database"] == "unreachable"
        for path in ("/", "/themes/", "/sources/"):
            status, headers, body = get(port, path)
            html = body.decode()
            assert status == 503, path
            assert UNAVAILABLE in html and "Traceback" not in html
            assert headers["Retry-After"] == "60"
            assert any("/vendor/govuk/" in href for href in stylesheets(html))
            for stylesheet in stylesheets(html):
                assert get(port, stylesheet)[0] == 200, stylesheet
