"""An editor adds a monitoring visit through the admin pages in a real Chromium."""

import re

import pytest

from inspections.models import Event, LocalAuthority

from ..admin_support import PASSWORD, make_editor
from ..builders import make_source, make_theme

pytestmark = pytest.mark.browser


def choose(page, select_id: str, text: str):
    """Pick `text` in an autocomplete chooser, the way a person does: open, type, click."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text[:6])
    page.locator(".select2-results__option", has_text=text).first.click()


@pytest.mark.django_db(transaction=True)
def test_an_editor_adds_a_monitoring_visit_through_the_admin_pages(live_server, page):
    LocalAuthority.objects.create(name="Testshire County Council", slug="testshire")
    make_source(title="Ofsted letter on the seventh monitoring visit")
    make_theme(name="Care leavers")
    make_theme(name="Workforce")
    make_editor("eddie")
    # The admin's scripts load on first use of the live server; allow a slow machine.
    page.set_default_timeout(60_000)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Visits and milestones").first.wait_for()

    page.goto(f"{live_server.url}/admin/inspections/visit/add/")
    assert page.locator("#id_kind").input_value() == "monitoring_visit"
    assert page.locator("#id_authority option:checked").inner_text() == "Testshire County Council"
    page.fill("#id_sequence_number", "7")
    page.locator("#id_title").press_sequentially("Seventh monitoring visit")
    # The address is made from the title as it is typed.
    assert page.locator("#id_slug").input_value() == "seventh-monitoring-visit"
    page.fill("#id_summary", "Help for care leavers has improved; staffing is still a worry.")
    page.fill("#id_start_date", "2024-09-10")
    page.fill("#id_end_date", "2024-09-11")
    page.fill("#id_published_on", "2024-10-15")
    choose(page, "id_event_sources-0-source", "Ofsted letter on the seventh monitoring visit")
    page.select_option("#id_findings-0-kind", "strength")
    page.fill("#id_findings-0-text", "Care leavers say their personal advisers stay in touch.")
    choose(page, "id_findings-0-theme", "Care leavers")
    page.select_option("#id_findings-1-kind", "improvement")
    page.fill("#id_findings-1-text", "Social workers still change too often.")
    choose(page, "id_findings-1-theme", "Workforce")
    page.locator("input[name=_save]").first.click()

    page.get_by_text(re.compile("Seventh monitoring visit.* was added successfully")).wait_for()
    visit = Event.objects.get(title="Seventh monitoring visit")
    assert visit.sequence_number == 7
    assert visit.findings.count() == 2

    page.goto(f"{live_server.url}/")
    title = page.get_by_role("heading", name="Seventh monitoring visit", level=3, exact=True)
    assert title.count() == 1
    title.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/events/seventh-monitoring-visit/$"))
    assert "Social workers still change too often." in page.content()
