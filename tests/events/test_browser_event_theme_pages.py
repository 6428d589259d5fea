"""In Chromium, on a laptop and on a phone: an event's page, a theme's page, the sources
and the summaries pass axe, and none of them scrolls sideways."""

import re

import pytest
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event, Theme

from ..browser_helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [375, 1280]
PAGES = ["event", "theme", "sources", "history summary", "event summary"]


def path_of(name: str) -> str:
    graded = Event.objects.filter(kind=EventKind.INSPECTION, judgements__isnull=False)
    inspection = graded.distinct().order_by("start_date").first()
    return {
        "event": inspection.get_absolute_url(),
        "theme": Theme.objects.get(slug="care-leavers").get_absolute_url(),
        "sources": reverse("inspections:sources"),
        "history summary": reverse("inspections:summary"),
        "event summary": reverse("inspections:event_summary", args=[inspection.slug]),
    }[name]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_page_passes_axe_and_fits_the_screen(live_server, page, seed_data, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + path_of(name))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []


def test_on_a_phone_an_event_s_sources_column_is_a_number(live_server, page, seed_data):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(live_server.url + path_of("event"))
    judgements = page.get_by_role("table", name="Judgements")
    cells = judgements.locator("tbody td:last-child").all_inner_texts()
    # "[2]" (with "Source" for screen readers), never the source's title on every row.
    assert cells and all(re.fullmatch(r"(Source\s*)?\[\d+\]", cell.strip()) for cell in cells)
    # Following a number leads to the source it stands for.
    judgements.get_by_role("link", name="Source [1]").first.click()
    assert page.url.endswith("#cited-source-1")
    assert page.locator("#cited-source-1").is_visible()
