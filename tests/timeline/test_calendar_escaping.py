"""The planned-visits calendar stays well formed whatever an editor types (RFC 5545)."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import EventStatus

from ..builders import make_event

pytestmark = pytest.mark.django_db


def test_a_title_with_a_lone_carriage_return_cannot_break_the_calendar(client, authority):
    make_event(
        authority,
        status=EventStatus.PLANNED,
        title="Visit\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Forged",
        summary="Line one\rline two; with, commas \\ and a backslash",
        start_date=datetime.date(2030, 1, 10),  # still ahead: the calendar holds it
    )
    body = client.get(reverse("inspections:planned_ics")).content.decode()
    lines = body.split("\r\n")
    assert all("\r" not in line and "\n" not in line for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1  # no forged second entry
    assert not any(line.startswith("SUMMARY:Forged") for line in lines)
    unfolded = body.replace("\r\n ", "")
    assert "Visit\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Forged" in unfolded
    assert "with\\, commas \\\\ and a backslash" in unfolded
