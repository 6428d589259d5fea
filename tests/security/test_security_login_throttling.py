"""Login throttling: a few wrong passwords pause signing in, cheaply, with a clear page."""

import datetime
import logging
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import base_user
from django.core.management import call_command
from django.urls import reverse

from ..admin_support import PASSWORD, make_editor, make_user

pytestmark = pytest.mark.django_db

LIMIT = 5
PAUSED = "Signing in is paused"


def sign_in(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def fail(client, username, times=LIMIT, **extra):
    for _ in range(times):
        response = sign_in(client, username, "not-the-password", **extra)
    return response


def test_five_wrong_passwords_pause_signing_in_even_with_the_right_one(client):
    make_editor()
    responses = [sign_in(client, "editor", f"wrong-{n}").status_code for n in range(LIMIT - 1)]
    assert responses == [200] * (LIMIT - 1)  # the form again, with its error
    response = sign_in(client, "editor", "wrong-again")
    assert response.status_code == 429
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert PAUSED in html and "15 minutes" in html
    assert "govuk-frontend" in html and "app-header" in html  # the site's own design
    assert "_auth_user_id" not in client.session


def test_a_locked_out_sign_in_is_refused_before_the_password_hasher_runs(client):
    make_editor()
    fail(client, "editor")
    with mock.patch.object(
        base_user, "check_password", wraps=base_user.check_password
    ) as check_password:
        response = sign_in(client, "editor", PASSWORD)
        assert response.status_code == 429
        assert check_password.call_count == 0
        # Unlocked users still have their passwords checked, once.
        make_user("colleague")
        assert sign_in(client, "colleague", PASSWORD).status_code == 302
        assert check_password.call_count == 1


def test_the_pause_is_for_that_name_from_that_address_only(client):
    make_editor()
    make_user("colleague")
    fail(client, "editor")
    # A colleague behind the same council address signs in as usual.
    assert sign_in(client, "colleague", PASSWORD).status_code == 302
    client.logout()
    # The same name from another address (as the proxy reports it on gunicorn's Unix
    # socket, where a request has no peer address) is not paused.
    elsewhere = {"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert sign_in(client, "editor", PASSWORD, **elsewhere).status_code == 302


def test_an_address_written_by_the_client_itself_is_not_believed(client):
    """X-Forwarded-For counts only from the trusted proxy, else anyone could dodge a pause."""
    make_editor()
    fail(client, "editor", REMOTE_ADDR="198.51.100.7")
    spoofed = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert sign_in(client, "editor", PASSWORD, **spoofed).status_code == 429


def test_the_pause_ends_fifteen_minutes_after_the_last_attempt(client):
    """A try during the pause starts it again, so a steady flood never gets through."""
    make_editor()
    start = datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)
    minutes = datetime.timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        fail(client, "editor")
    with time_machine.travel(start + 14 * minutes, tick=False):
        assert sign_in(client, "editor", PASSWORD).status_code == 429
    with time_machine.travel(start + 28 * minutes, tick=False):
        assert sign_in(client, "editor", PASSWORD).status_code == 429
    with time_machine.travel(start + 44 * minutes, tick=False):
        assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_a_lockout_is_logged_with_the_name_and_address(client, caplog):
    make_editor()
    with caplog.at_level(logging.WARNING):
        fail(client, "editor", times=LIMIT + 1)
    refused = [r.getMessage() for r in caplog.records if "locked out" in r.getMessage()]
    assert refused
    assert "'editor'" in refused[-1] and "127.0.0.1" in refused[-1]


def test_a_superuser_sees_the_failed_attempts_and_can_lift_the_pause(client):
    make_editor()
    fail(client, "editor")
    superuser = make_user("manager", superuser=True)
    client.force_login(superuser)
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "editor" in response.content.decode()
    client.logout()
    call_command("axes_reset_username", "editor", verbosity=0)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_axes_reset_lifts_every_pause(client):
    make_editor()
    fail(client, "editor")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
