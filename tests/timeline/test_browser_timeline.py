"""End to end in Chromium: the timeline, its filters with and without JavaScript, accessibility."""

import pytest
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event, Theme

from ..browser_helpers import axe_violations
from ..html import Element, page_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def results_in(page) -> Element:
    """The timeline's results as the browser holds them now, after any swap by htmx."""
    return page_of(page.content()).by_id("results")


def a_theme_in_use() -> Theme:
    return Theme.objects.filter(findings__isnull=False).distinct().order_by("pk").first()


def test_the_timeline_shows_each_graded_inspection_with_its_grades(live_server, page, seed_data):
    page.goto(live_server.url + reverse("inspections:timeline"))
    shown = results_in(page)
    graded = Event.objects.filter(judgements__isnull=False).distinct()
    assert graded.exists()
    for event in graded:
        assert page.get_by_role("heading", name=event.title, level=3, exact=True).count() == 1
        item = shown.section(event.title)
        for judgement in event.judgements.all():
            assert f"{judgement.area_short} {judgement.get_grade_display()}" in item


def test_a_filter_with_javascript_swaps_the_results_and_updates_the_address(
    live_server, page, seed_data
):
    visits = Event.objects.filter(kind=EventKind.MONITORING_VISIT).order_by("start_date", "pk")
    page.goto(live_server.url + reverse("inspections:timeline"))
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Kind of event").select_option(EventKind.MONITORING_VISIT)
    page.wait_for_url("**/?*kind=monitoring_visit*")
    heading = f"{visits.count()} event{'s' * (visits.count() != 1)} matching your filters"
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    assert results_in(page).headings(3) == [event.title for event in visits]


def test_a_filter_without_javascript_works_by_a_full_page_load(live_server, browser, seed_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("inspections:timeline"))
        theme = a_theme_in_use()
        page.get_by_label("Theme").select_option(theme.slug)
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        assert f"theme={theme.slug}" in page.url
        expected = Event.objects.with_theme(theme).order_by("start_date", "pk")
        assert results_in(page).headings(3) == [event.title for event in expected]
    finally:
        context.close()


@pytest.mark.parametrize("page_name", ["timeline", "detail", "theme", "sources", "filtered"])
def test_axe_finds_no_accessibility_violations(live_server, page, seed_data, page_name):
    graded = Event.objects.filter(kind=EventKind.INSPECTION, judgements__isnull=False)
    paths = {
        "timeline": reverse("inspections:timeline"),
        "detail": graded.distinct().latest("start_date").get_absolute_url(),
        "theme": a_theme_in_use().get_absolute_url(),
        "sources": reverse("inspections:sources"),
        "filtered": reverse("inspections:timeline") + "?kind=nonsense&grade=good",
    }
    page.goto(live_server.url + paths[page_name])
    assert axe_violations(page) == []


def test_a_long_timeline_pages_by_link_and_passes_axe(live_server, page, seed_data):
    from ..builders import multiply_seed_data

    multiply_seed_data(5)  # five times the seed, on the one council
    total = Event.objects.count()
    titles = page.locator("#results").get_by_role("heading", level=3)
    page.goto(live_server.url + reverse("inspections:timeline") + "?kind=")
    assert titles.count() == 50
    assert axe_violations(page) == []
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**/?kind=&page=2")
    assert titles.count() == total - 50
    assert page.get_by_text(f"Showing events 51 to {total}, page 2 of 2.").is_visible()
    assert page.get_by_role("link", name="Page 2", exact=True).get_attribute("aria-current") == (
        "page"
    )
