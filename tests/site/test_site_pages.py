"""What every public-sector site has: a footer with the accessibility statement, the
privacy notice, a contact and when the data were last updated."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from ofsted_tracker import http_cache

from ..builders import make_event
from ..html import page_of

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def footer(client, url="/"):
    return page_of(client.get(url)).find(role="contentinfo")


def test_every_public_page_has_the_statement_the_notice_and_a_contact(client, authority, settings):
    settings.SITE_CONTACT_EMAIL = "inspections@testshire.example"
    event = make_event(authority)
    for url in ("/", event.get_absolute_url(), reverse("inspections:councils")):
        links = footer(client, url).links()
        assert ("Accessibility statement", reverse("accessibility")) in links, url
        assert ("Privacy notice", reverse("privacy")) in links, url
        contact = ("Contact: inspections@testshire.example", "mailto:inspections@testshire.example")
        assert contact in links, url


def current_section(client, url: str) -> dict[str, str]:
    """The sections of the site's navigation that `url` marks as where the visitor is."""
    navigation = page_of(client.get(url)).find("nav", aria_label="Site sections")
    return {a.text: a.attrs["aria-current"] for a in navigation.find_all("a", aria_current=True)}


def test_the_navigation_marks_where_the_visitor_is_on_each_page_in_turn(client, authority):
    """The navigation is drawn once per address and kept: a page must not be shown the
    navigation kept for another."""
    event = make_event(authority)
    council = reverse("inspections:council", args=[authority.slug])
    expected = {
        "/": {"Timeline": "page"},
        reverse("inspections:councils"): {"Councils": "page"},
        council: {"Councils": "true"},
        reverse("inspections:themes"): {"Themes": "page"},
        event.get_absolute_url(): {},
        reverse("inspections:sources"): {"Sources": "page"},
        reverse("accessibility"): {},
    }
    for _round in range(2):
        for url, marked in expected.items():
            assert current_section(client, url) == marked, url


def test_without_a_contact_address_the_footer_says_so_rather_than_guess(client, authority):
    assert "Contact: no address has been set up for this site yet" in footer(client)


def test_the_footer_says_when_the_data_were_last_updated(client, authority):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=LONDON)):
        make_event(authority, title="Changed in March")
    assert "The data were last updated on 2 March 2026." in footer(client)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, tzinfo=LONDON)):
        make_event(authority, title="Changed in November")
    assert "The data were last updated on 20 November 2026." in footer(client)


def test_starting_the_site_again_does_not_count_as_an_update(db):
    before = http_cache.data_version()
    call_command("migrate", verbosity=0)  # make run migrates at every start: nothing to apply
    assert http_cache.data_version() == before


def test_the_accessibility_statement_follows_the_model_statement(client, settings):
    settings.SITE_CONTACT_EMAIL = "inspections@testshire.example"
    statement = page_of(client.get(reverse("accessibility")))
    headings = statement.headings(2) + statement.headings(3)
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert heading in headings
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in (
        " ".join(statement.section("Compliance status").split())
    )
    assert "last reviewed on" in statement.section("Preparation of this accessibility statement")
    assert "inspections@testshire.example" in statement.section("Feedback and contact information")


def test_the_privacy_notice_says_what_is_stored_and_public_pages_set_no_cookie(client, authority):
    notice = page_of(client.get(reverse("privacy")))
    assert "set no cookies and use no analytics" in notice.section("If you read the public pages")
    assert "session cookie" in notice.section("If you enter data (council staff)")
    for url in ("/", reverse("inspections:councils"), reverse("privacy")):
        assert not client.get(url).cookies, url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_the_statement_and_the_notice_pass_axe(live_server, page, name):
    from ..browser_helpers import axe_violations

    page.goto(live_server.url + reverse(name))
    assert axe_violations(page) == []
