"""End to end in Chromium: the timeline, its filters with and without JavaScript, accessibility."""

import pytest
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event, Theme

from .browser_helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_timeline_shows_the_2019_and_2023_inspections_with_their_grades(
    live_server, page, seed_data
):
    page.goto(live_server.url + reverse("inspections:timeline"))
    for year, grade in ((2019, "Inadequate"), (2023, "Requires improvement to be good")):
        event = Event.objects.get(kind=EventKind.INSPECTION, start_date__year=year)
        item = page.locator(".moj-timeline__item", has_text=event.title)
        assert item.count() == 1
        assert grade in item.inner_text()


def test_a_filter_with_javascript_swaps_the_results_and_updates_the_address(
    live_server, page, seed_data
):
    page.goto(live_server.url + reverse("inspections:timeline"))
    page.evaluate("window.notReloaded = true")
    page.select_option("#filter-kind", EventKind.MONITORING_VISIT)
    page.wait_for_url("**/?*kind=monitoring_visit*")
    page.wait_for_function("document.querySelectorAll('#results .moj-timeline__item').length > 0")
    page.wait_for_function(
        "[...document.querySelectorAll('#results .moj-timeline__byline')]"
        ".every(e => e.textContent.includes('Monitoring visit'))"
    )
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    shown = page.locator("#results .moj-timeline__item").count()
    assert shown == Event.objects.filter(kind=EventKind.MONITORING_VISIT).count()


def test_a_filter_without_javascript_works_by_a_full_page_load(live_server, browser, seed_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("inspections:timeline"))
        theme = Theme.objects.get(slug="care-leavers")
        page.select_option("#filter-theme", theme.slug)
        with page.expect_navigation():
            page.click("button:has-text('Apply filters')")
        assert "theme=care-leavers" in page.url
        shown = page.locator("#results .moj-timeline__item").count()
        assert shown == Event.objects.with_theme(theme).count()
    finally:
        context.close()


@pytest.mark.parametrize("page_name", ["timeline", "detail", "theme", "sources", "filtered"])
def test_axe_finds_no_accessibility_violations(live_server, page, seed_data, page_name):
    inspection = Event.objects.get(kind=EventKind.INSPECTION, start_date__year=2023)
    paths = {
        "timeline": reverse("inspections:timeline"),
        "detail": inspection.get_absolute_url(),
        "theme": reverse("inspections:theme", args=["care-leavers"]),
        "sources": reverse("inspections:sources"),
        "filtered": reverse("inspections:timeline") + "?kind=nonsense&grade=good",
    }
    page.goto(live_server.url + paths[page_name])
    assert axe_violations(page) == []


def test_a_long_timeline_pages_by_link_and_passes_axe(live_server, page, seed_data):
    from .builders import multiply_seed_data

    multiply_seed_data(5)  # five times the seed, on the one council
    total = Event.objects.count()
    page.goto(live_server.url + reverse("inspections:timeline") + "?kind=")
    assert page.locator("#results .moj-timeline__item").count() == 50
    assert axe_violations(page) == []
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/?kind=&page=2")
    assert page.locator("#results .moj-timeline__item").count() == total - 50
    assert page.get_by_text(f"Showing events 51 to {total}, page 2 of 2.").is_visible()
    current = page.locator(".govuk-pagination__item--current")
    assert current.inner_text().strip() == "2"
