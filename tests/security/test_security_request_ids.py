"""Every request has an id: in the response header, and in the log lines and error emails."""

import io
import logging
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ofsted_tracker.request_ids import RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


@pytest.fixture
def console():
    """What the configured console handler writes, captured."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in h.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def broken_timeline():
    # A bug in a step every timeline request runs (drawing its items).
    return mock.patch(
        "inspections.timeline.views.timeline_items", side_effect=RuntimeError("a bug")
    )


def test_each_response_carries_a_new_request_id(client):
    first = client.get(reverse("healthz"))["X-Request-ID"]
    second = client.get(reverse("healthz"))["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "4f2a9c1e0b7d4e8a"})
    assert response["X-Request-ID"] == "4f2a9c1e0b7d4e8a"


@pytest.mark.parametrize("given", ["short", "x" * 65, "id with spaces", "evil\\nWARNING fake"])
def test_a_request_id_that_could_forge_a_log_line_is_replaced(client, given):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_an_error_is_logged_with_the_request_id_of_the_response(browser_client, console):
    with broken_timeline():
        response = browser_client.get(reverse("inspections:timeline"))
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    [line] = [line for line in console.getvalue().splitlines() if "Internal Server Error" in line]
    assert f"[request {request_id}]" in line


def test_a_log_line_outside_a_request_says_so(console):
    logging.getLogger("ofsted_tracker.test").warning("a command ran")
    assert "[request -] a command ran" in console.getvalue()


def test_the_admins_are_emailed_about_an_error_with_its_request_id(browser_client, settings):
    settings.DEBUG = False
    settings.ADMINS = [("Ann Example", "ann@example.org")]
    with broken_timeline():
        response = browser_client.get(reverse("inspections:timeline"))
    assert response.status_code == 500
    [email] = mail.outbox
    assert email.to == ["ann@example.org"]
    assert response["X-Request-ID"] in email.body
