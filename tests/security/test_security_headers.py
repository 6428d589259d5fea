"""Security headers on the real responses, and the production settings' deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event

from ..html import page_of
from ..public_pages import build_site, public_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(db):
    build_site()


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response):
    directives = csp_directives(response)
    for name in ("default-src", "script-src", "style-src"):
        assert directives[name] == ["'self'"], (name, directives)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "geolocation=()", "microphone=()", "payment=()"):
        assert feature in policy


def test_every_public_page_sends_a_strict_content_security_policy_and_the_other_headers(
    client, site
):
    urls = public_urls()
    assert {"timeline", "event", "themes", "theme", "sources"} <= set(urls)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_security_headers(response)


def test_the_admin_login_page_sends_the_same_headers(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_missing_page_sends_the_same_headers(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert page_of(response).headings(1) == ["Page not found"]
    assert_security_headers(response)


def test_the_health_check_sends_the_same_headers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_no_page_has_inline_script_or_style_for_the_policy_to_block(client, site):
    for name, url in public_urls().items():
        for element in page_of(client.get(url)).elements():
            assert element.tag != "style", name
            if element.tag == "script":
                assert element.attrs.get("src"), (name, "inline script")
            assert "style" not in element.attrs, (name, element)
            assert not [a for a in element.attrs if a.startswith("on")], (name, element)


def production_environment(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-deploy-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "ofsted.example.gov.uk",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ofsted.example.gov.uk",
        "DATABASE_URL": "postgres://ofsted@db.example.gov.uk:5432/ofsted",
    }
    return env | extra


def test_the_deploy_check_finds_nothing_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_deploy_check_would_catch_a_production_setting_left_off():
    """The check above can fail: switching HSTS off is reported."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(DJANGO_SECURE_HSTS_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_timeline_and_an_htmx_filter_cause_no_csp_violation_in_chromium(live_server, page):
    build_site()
    violations, console = [], []
    # Added through the DevTools protocol, which the page's policy does not govern.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.__cspViolations = window.__cspViolations || [])"
        ".push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.goto(live_server.url + reverse("inspections:timeline"))
    assert page.evaluate("typeof htmx") == "object", "htmx did not load"
    page.evaluate("window.notReloaded = true")
    visits = Event.objects.filter(kind=EventKind.MONITORING_VISIT).count()
    page.get_by_label("Kind of event").select_option(EventKind.MONITORING_VISIT)
    page.wait_for_url("**/?*kind=monitoring_visit*")
    heading = f"{visits} event{'s' * (visits != 1)} matching your filters"
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    assert page.evaluate("window.notReloaded") is True, "the filter reloaded the page"
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == []
    blocked = [line for line in console if "Content Security Policy" in line or "CSP" in line]
    assert blocked == []
    assert not [line for line in console if "Permissions-Policy" in line]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_policy_in_chromium(live_server, page):
    """Signing in and opening an inspection's change form break nothing and block nothing."""
    build_site()
    User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.__cspViolations = window.__cspViolations || [])"
        ".push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "a-long-password-1")
    with page.expect_navigation():
        page.click("input[type=submit]")
    event = Event.objects.filter(kind="inspection").first()
    page.goto(live_server.url + reverse("admin:inspections_event_change", args=[event.pk]))
    assert page.locator("input[name=_save]").count() >= 1, page.url
    assert page.evaluate("window.__cspViolations || []") == []
    assert not [line for line in console if "Content Security Policy" in line]
