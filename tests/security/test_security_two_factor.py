"""Two-factor sign-in to the admin: a password and then a code, each code good once."""

import os
import re
import subprocess
import sys
from base64 import b32decode
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp

from ..admin_support import PASSWORD, make_editor

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMIN = reverse("admin:index")
NOW = 1_795_000_000  # a fixed moment, so that a code cannot roll over mid-test


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_TWO_FACTOR = True


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def enrol(username: str, *extra: str) -> tuple[bytes, list[str]]:
    """The authenticator app's key and the recovery codes, read from what the command prints."""
    out = StringIO()
    call_command("enrol_two_factor", username, *extra, stdout=out)
    printed = out.getvalue()
    address = re.search(r"otpauth://\S+", printed).group()
    secret = parse_qs(urlparse(address).query)["secret"][0]
    key = b32decode(secret + "=" * (-len(secret) % 8))
    codes = re.findall(r"^  ([a-z2-7]{8})$", printed, flags=re.M)
    return key, codes


def app_code(key: bytes) -> str:
    return f"{totp(key):06d}"


def sign_in(client, code: str = "", password: str = PASSWORD):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "otp_token": code, "next": ADMIN},
    )


def opens_admin(client) -> bool:
    return client.get(ADMIN).status_code == 200


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(client, two_factor):
    make_editor()
    enrol("editor")
    response = sign_in(client)
    assert response.status_code == 200
    assert "Please enter your OTP token" in response.content.decode()
    assert not opens_admin(client)


def test_a_session_signed_in_without_a_code_is_sent_to_sign_in_again(client, two_factor):
    client.force_login(make_editor())
    response = client.get(ADMIN)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert "Code" in client.get(response["Location"]).content.decode()


def test_a_code_from_the_app_signs_in_once(client, two_factor, frozen):
    make_editor()
    key, _ = enrol("editor")
    code = app_code(key)
    assert sign_in(client, code).status_code == 302
    assert opens_admin(client)
    client.logout()
    response = sign_in(client, code)  # the same code again, within its 30 seconds
    assert response.status_code == 200
    assert "Invalid token" in response.content.decode()
    assert not opens_admin(client)


def test_a_recovery_code_signs_in_once(client, two_factor, frozen):
    make_editor()
    _, codes = enrol("editor")
    assert len(codes) == 10
    assert sign_in(client, codes[0].upper()).status_code == 302
    assert opens_admin(client)
    client.logout()
    assert sign_in(client, codes[0]).status_code == 200
    assert not opens_admin(client)
    # After a failure django-otp makes the next try wait a moment (doubling each time).
    with time_machine.travel(NOW + 10, tick=False):
        assert sign_in(client, codes[1]).status_code == 302


def test_a_wrong_code_does_not_sign_in(client, two_factor, frozen):
    make_editor()
    key, _ = enrol("editor")
    wrong = f"{(int(app_code(key)) + 1) % 1_000_000:06d}"
    assert sign_in(client, wrong).status_code == 200
    assert sign_in(client, "notacode").status_code == 200
    assert not opens_admin(client)


def test_an_admin_not_yet_enrolled_is_told_who_can_set_it_up(client, two_factor):
    make_editor()
    response = sign_in(client, "123456")
    assert "not set up for this account yet" in response.content.decode()
    assert not opens_admin(client)


def test_with_two_factor_off_the_password_is_enough(client, settings):
    settings.ADMIN_TWO_FACTOR = False
    make_editor()
    assert sign_in(client).status_code == 302
    assert opens_admin(client)


def test_enrolling_refuses_an_unknown_user_and_does_not_replace_codes_unasked():
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        call_command("enrol_two_factor", "nobody")
    make_editor()
    key, _ = enrol("editor")
    with pytest.raises(CommandError, match="already has two-factor sign-in"):
        call_command("enrol_two_factor", "editor")
    new_key, _ = enrol("editor", "--replace")
    assert new_key != key


def settings_value(env: dict, expression: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = f"import ofsted_tracker.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True
    )


@pytest.mark.django_db(False)
def test_production_always_asks_for_a_code_and_development_only_when_asked():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60}
    assert settings_value(production, "s.ADMIN_TWO_FACTOR").stdout.strip() == "True"
    refused = settings_value(production | {"DJANGO_ADMIN_2FA": "false"}, "s.ADMIN_TWO_FACTOR")
    assert refused.returncode != 0 and "for development only" in refused.stderr
    assert settings_value({}, "s.ADMIN_TWO_FACTOR").stdout.strip() == "False"
    development = settings_value({"DJANGO_ADMIN_2FA": "true"}, "s.ADMIN_TWO_FACTOR")
    assert development.stdout.strip() == "True"
