"""Passwords of at least 12 characters, and admin sessions that end."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ..admin_support import PASSWORD, make_editor, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
ADMIN = reverse("admin:index")


def signed_in(client) -> bool:
    """Whether the admin's front page opens, rather than sending the client to sign in."""
    response = client.get(ADMIN)
    assert response.status_code in {200, 302}
    return response.status_code == 200


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "password",
    ["Short-pass1", "qwerty123456", "1q2w3e4r5t6y"],  # 11 characters; two common passwords
)
def test_a_short_or_common_password_is_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("rain-on-the-downs-1987")


def test_the_admin_refuses_an_11_character_password_for_a_new_user(client):
    client.force_login(make_user("manager", superuser=True))
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": "Sh0rt-pass!", "password2": "Sh0rt-pass!"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_a_session_ends_after_30_minutes_without_a_request(client):
    make_editor()
    with time_machine.travel(START, tick=False):
        client.force_login(User.objects.get(username="editor"))
        assert signed_in(client)
    with time_machine.travel(START + 29 * MINUTE, tick=False):
        assert signed_in(client)
    with time_machine.travel(START + 58 * MINUTE, tick=False):
        assert signed_in(client)  # 29 minutes after the last request
    with time_machine.travel(START + 89 * MINUTE, tick=False):
        assert not signed_in(client)
        response = client.get(reverse("admin:login"))
        assert "signed out after 30 minutes" in " ".join(messages_on(response))
    with time_machine.travel(START + 90 * MINUTE, tick=False):
        assert not signed_in(client)


def test_a_session_ends_12_hours_after_signing_in_however_busy(client):
    make_editor()
    with time_machine.travel(START, tick=False):
        client.force_login(User.objects.get(username="editor"))
        assert signed_in(client)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(START + minutes * MINUTE, tick=False):
            assert signed_in(client), minutes
    with time_machine.travel(START + (12 * 60 + 1) * MINUTE, tick=False):
        assert not signed_in(client)


def test_the_session_cookie_lasts_at_most_12_hours(client):
    make_editor()
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 60 * 60


def test_changing_a_password_ends_the_users_other_sessions_but_not_this_one():
    editor = make_editor()
    here, elsewhere = Client(), Client()
    here.force_login(editor)
    elsewhere.force_login(editor)
    assert signed_in(here) and signed_in(elsewhere)
    new_password = "a-new-and-longer-password-2026"
    response = here.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)


def test_public_pages_stay_cacheable_for_visitors_and_for_signed_in_admins(client):
    """The session clocks are kept on admin pages only: a public page that touched the
    session would vary by cookie and miss the page cache and its ETag."""
    for visitor in ("anonymous", "admin"):
        if visitor == "admin":
            client.force_login(make_editor())
        response = client.get(reverse("inspections:timeline"))
        assert response.status_code == 200
        assert "cookie" not in response.get("Vary", "").lower(), visitor
        assert response.has_header("ETag"), visitor
