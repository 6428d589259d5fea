"""End to end in Chromium: the councils list and the comparison with neighbours, with and
without JavaScript, and their accessibility."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections.choices import Grade, Region
from inspections.models import LocalAuthority

from ..browser_helpers import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNCILS = reverse("inspections:councils")


@pytest.fixture
def seeded():
    # live_server needs committed rows (transaction=True), so load here.
    call_command("seed", verbosity=0, stdout=io.StringIO())


def listed(page) -> list[str]:
    return page.locator(".app-council-table tbody th a").all_inner_texts()


@pytest.mark.parametrize(
    "path",
    [
        COUNCILS,
        COUNCILS + "?region=atlantis&sort=overall",
        reverse("inspections:council", args=["kent"]),
        reverse("inspections:council_compare", args=["west-sussex"]),
        reverse("inspections:council_compare", args=["bath-and-north-east-somerset"]),
    ],
)
def test_axe_finds_no_accessibility_violations(live_server, page, seeded, path):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_filters_and_ordering_with_javascript_swap_the_list_in_place(live_server, page, seeded):
    page.goto(live_server.url + COUNCILS)
    page.evaluate("window.notReloaded = true")
    page.select_option("#filter-region", Region.LONDON)
    page.wait_for_url("**/councils/?*region=london*")
    london = LocalAuthority.objects.current().filter(region=Region.LONDON)
    page.wait_for_function(
        f"document.querySelectorAll('.app-council-table tbody tr').length == {london.count()}"
    )
    page.click("#sort-overall")
    page.wait_for_url("**sort=overall**")
    page.wait_for_selector('th[aria-sort="ascending"] #sort-overall')
    # The order stays when another filter changes: it rides with the form.
    page.select_option("#filter-grade", Grade.GOOD)
    page.wait_for_url("**grade=good**")
    assert "sort=overall" in page.url
    assert page.locator('th[aria-sort="ascending"] #sort-overall').count() == 1
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    for name in listed(page):
        assert london.filter(name=name).exists()


def test_filters_without_javascript_work_by_a_full_page_load(live_server, browser, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + COUNCILS)
        page.fill("#filter-q", "sussex")
        with page.expect_navigation():
            page.click("button:has-text('Apply filters')")
        assert sorted(listed(page)) == ["East Sussex", "West Sussex County Council"]
        with page.expect_navigation():
            page.click("#sort-name")
        assert "sort=-name" in page.url and "q=sussex" in page.url
        assert listed(page) == ["West Sussex County Council", "East Sussex"]
    finally:
        context.close()


def test_the_pages_are_usable_on_a_phone(live_server, page, seeded):
    """The wide tables scroll sideways inside their own region; the page does not."""
    page.set_viewport_size({"width": 375, "height": 800})
    for path in (COUNCILS, reverse("inspections:council_compare", args=["west-sussex"])):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
