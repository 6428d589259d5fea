"""The recommendations page in real Chromium: the scrutiny pack on paper, and accessibility.

Skipped locally without Chromium; CI must run them (see `require()` in conftest.py).
"""

import pytest
from django.urls import reverse

from inspections.models import LocalAuthority
from inspections.recommendations.concerns import read_concerns

from ..browser_helpers import axe_violations
from ..timeline.test_print_pdf import (
    MAX_PAGES,
    assert_a4_portrait,
    assert_no_screen_furniture,
    load_seed_data,
    print_to_pdf,
    text_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def url(live_server, slug="west-sussex") -> str:
    return live_server.url + reverse("inspections:council_recommendations", args=[slug])


def test_west_sussex_scrutiny_pack_prints_on_at_most_two_a4_pages(live_server, page):
    load_seed_data()
    council = LocalAuthority.objects.get(slug="west-sussex")
    reading = read_concerns(council)
    assert reading.concerns, "the seed data has no recommendations to print"
    pdf = print_to_pdf(page, url(live_server))
    assert 1 <= len(pdf.pages) <= MAX_PAGES, f"{len(pdf.pages)} pages"
    assert_a4_portrait(pdf)
    text = text_of(pdf)
    # It stands on its own: whose, when, what the words mean, every concern, the sources.
    assert council.name in text
    assert "Summary produced on" in text
    assert "Addressed a later source says the concern has been dealt with." in text
    assert "Recommendations by theme and inspection" in text
    for concern in reading.concerns:
        assert concern.theme.name in text
    assert f"{len(reading.concerns)} {concern.theme.name}" in text
    for source in reading.sources:
        assert source.title in text, source.title
    assert "Download every recommendation" not in text
    assert_no_screen_furniture(text)


def test_the_pack_prints_in_black_on_white(live_server, page):
    load_seed_data()
    page.goto(url(live_server))
    page.emulate_media(media="print")
    colours = page.evaluate(
        """() => [...document.querySelectorAll('.app-recs-tag')].filter(
                tag => tag.offsetParent !== null).map(tag => {
            const style = getComputedStyle(tag);
            return [style.color, style.backgroundColor];
        })"""
    )
    assert colours
    assert set(map(tuple, colours)) == {("rgb(0, 0, 0)", "rgba(0, 0, 0, 0)")}


def test_the_page_passes_the_automated_accessibility_checks(live_server, page):
    load_seed_data()
    page.goto(url(live_server))
    assert axe_violations(page) == []
