"""The timeline: at / the site's own council, at /councils/<slug>/ any council; every event
in order, with its kind, dates and grades."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.choices import EventKind, EventStatus, Grade, JudgementArea
from inspections.models import Event

from ..builders import (
    make_authority,
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_statement,
    make_theme,
    multiply_seed_data,
)
from ..html import Element, page_of

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")
# The first render after a change of data costs a fixed number of queries: the council
# (the ETag's data version is in the shared cache); the page of events the filters
# choose; the council's events with their judgements, read once for the items to draw,
# the chart and "Where things stand"; and the theme choices in the form. (No list of
# councils: the council is in the address.)
TIMELINE_QUERIES = 5
# Until the data change, an address of the timeline nobody has asked for (other filters,
# another page) whose events were drawn before: the events the filters choose, one query.
# The council, the items and the form's fields are kept in the shared cache. An event not
# yet drawn costs two queries (the council's events and their judgements).
TIMELINE_KEPT_QUERIES = 1


def council_url(slug: str) -> str:
    return reverse("inspections:council", args=[slug])


def results(response) -> Element:
    """The part of the page that the filters update: the count, the page links, the events."""
    assert response.status_code == 200, response.status_code
    return page_of(response).by_id("results")


def shown_titles(client, **params) -> list[str]:
    """The events the timeline shows, in order: each one's title is a heading."""
    return results(client.get(TIMELINE, params)).headings(3)


def test_the_timeline_lists_every_event_in_date_order(client, seed_data):
    events = Event.objects.order_by("start_date", "pk")
    assert shown_titles(client) == [event.title for event in events]


def test_each_event_on_the_timeline_shows_its_grades_in_words_by_area(client, authority):
    inadequate = make_inspection(authority, title="The inadequate inspection")
    make_judgement(inadequate, JudgementArea.OVERALL, Grade.INADEQUATE)
    later = make_inspection(
        authority, title="The later inspection", start_date=datetime.date(2023, 3, 1)
    )
    make_judgement(later, JudgementArea.OVERALL, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(later, JudgementArea.CHILDREN_IN_CARE, Grade.GOOD)
    shown = results(client.get(TIMELINE))
    assert "Overall Inadequate" in shown.section("The inadequate inspection")
    assert "Good" not in shown.section("The inadequate inspection")
    later_item = shown.section("The later inspection")
    assert "Overall Requires improvement to be good" in later_item
    assert "Children in care Good" in later_item


def test_planned_events_are_marked_as_planned(client, seed_data):
    planned = Event.objects.filter(status=EventStatus.PLANNED)
    assert planned.exists() and Event.objects.exclude(status=EventStatus.PLANNED).exists()
    # The day after the briefing that announced most of them, when all were still ahead
    # (tests/timeline/test_planned_outcomes.py: what the timeline says once their time has passed).
    with time_machine.travel(datetime.date(2019, 5, 16), tick=False):
        shown = results(client.get(TIMELINE))
    for event in Event.objects.all():
        # The tag leads the line of the date, right under the title.
        marked = shown.section(event.title).startswith(f"Planned {event.dates_display}")
        assert marked == event.is_planned, event.title


def test_a_kind_filter_shows_only_that_kind(client, seed_data):
    inspections = Event.objects.filter(kind=EventKind.INSPECTION).order_by("start_date", "pk")
    assert 0 < inspections.count() < Event.objects.count()
    assert shown_titles(client, kind=EventKind.INSPECTION) == [e.title for e in inspections]


def test_an_unknown_filter_value_gives_a_clear_message_not_an_error(client, db):
    response = client.get(TIMELINE, {"kind": "party", "year_from": "soon"})
    assert response.status_code == 200
    alert = page_of(response).find(role="alert")
    assert "Some filters could not be used" in alert.headings()
    assert "Kind of event: that value is not one of the options" in alert
    assert "Enter a whole number" in alert


def test_a_councils_page_shows_its_own_events_and_chart(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    html = client.get(council_url("synthetic-1")).content.decode()
    assert "Overall grade over time: Synthetic council 1" in html
    assert '<h1 class="govuk-heading-xl">Synthetic council 1</h1>' in html
    results = html[html.index('id="results"') :]
    assert "(copy 1)" in results
    assert Event.objects.filter(authority__slug="west-sussex").first().title + "<" not in results


def test_the_home_page_is_the_site_councils_timeline_whatever_else_there_is(client, seed_data):
    multiply_seed_data(3, same_authority=False)
    html = client.get(TIMELINE).content.decode()
    assert "Every Ofsted inspection and visit of West Sussex County Council's" in html
    results = html[html.index('id="results"') :]
    assert "(copy" not in results
    assert (
        results.count('<div class="moj-timeline__item')
        == Event.objects.filter(authority__slug="west-sussex").count()
    )


def test_the_home_page_follows_the_site_council_setting(client, seed_data, settings):
    multiply_seed_data(3, same_authority=False)
    settings.SITE_COUNCIL = "synthetic-2"
    html = client.get(TIMELINE).content.decode()
    assert "visit of Synthetic council 2's children's services" in html
    results = html[html.index('id="results"') :]
    assert "(copy 2)" in results and "(copy 1)" not in results


def test_a_timeline_of_one_council_names_it_in_the_introduction(client, seed_data):
    html = client.get(TIMELINE).content.decode()
    assert "Every Ofsted inspection and visit of West Sussex County Council's" in html
    assert "West Sussex County Council: Graded inspection" not in html


def test_a_council_that_does_not_exist_gets_the_404_page(client, seed_data):
    for slug in ("atlantis", "west-sussex-x", "9"):
        response = client.get(council_url(slug))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_an_old_address_with_a_council_moves_to_the_councils_page(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    response = client.get(TIMELINE, {"authority": "synthetic-1", "kind": "inspection"})
    assert response.status_code == 301
    assert response["Location"] == council_url("synthetic-1") + "?kind=inspection"
    unknown = client.get(TIMELINE, {"authority": "atlantis"})
    assert unknown.status_code == 200
    assert "West Sussex County Council's" in unknown.content.decode()


def test_a_councils_page_has_no_council_filter_and_its_downloads_name_it(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    html = client.get(council_url("synthetic-1"), {"kind": "inspection"}).content.decode()
    assert 'name="authority"' not in html
    assert 'action="/councils/synthetic-1/"' in html
    assert 'href="/timeline.csv?kind=inspection&amp;authority=synthetic-1"' in html
    assert 'href="/summary/?authority=synthetic-1"' in html
    assert 'href="/councils/synthetic-1/compare/"' in html


def test_a_long_timeline_comes_in_pages_that_keep_the_filters(client, seed_data):
    multiply_seed_data(5)  # five times the seed's events, on one council
    total = Event.objects.count()
    assert 50 < total <= 100
    titles = [event.title for event in Event.objects.chronological()]
    first = results(client.get(TIMELINE, {"kind": "", "year_from": "2010"}))
    assert f"{total} events matching your filters" in first.headings(2)
    assert "Showing events 1 to 50, page 1 of 2." in first
    assert first.headings(3) == titles[:50]
    assert ("Next page", "?kind=&year_from=2010&page=2") in first.links()
    assert first.find("a", aria_current="page").text == "1"
    second = results(client.get(TIMELINE, {"kind": "", "year_from": "2010", "page": "2"}))
    assert f"Showing events 51 to {total}, page 2 of 2." in second
    assert second.headings(3) == titles[50:]
    # Page 1's address has no page number.
    assert ("Previous page", "?kind=&year_from=2010") in second.links()
    assert "Next page" not in [text for text, _ in second.links()]
    assert second.find("a", aria_current="page").text == "2"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1e9", "9" * 30])
def test_a_page_number_that_does_not_exist_shows_a_page_that_does(client, seed_data, page):
    multiply_seed_data(5)
    response = client.get(TIMELINE, {"page": page})
    assert response.status_code == 200
    assert "Showing events" in results(response)


def test_a_short_timeline_has_no_page_links(client, authority):
    for _ in range(3):
        make_event(authority)
    shown = page_of(client.get(TIMELINE))
    assert len(shown.by_id("results").headings(3)) == 3
    assert not [href for _, href in shown.links() if "page=" in href]
    assert not shown.find_all(aria_current="page", text="1")
    assert "Showing events" not in shown


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_timeline_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(TIMELINE)
    assert response.status_code == 200
    with django_assert_num_queries(TIMELINE_KEPT_QUERIES):
        filtered = client.get(TIMELINE, {"year_from": "1990", "kind": ""})
    assert filtered.status_code == 200


def test_an_area_and_grade_filter_matches_the_same_judgement(client, authority):
    good_in_care = make_inspection(authority, title="Good for children in care")
    make_judgement(good_in_care, JudgementArea.OVERALL, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(good_in_care, JudgementArea.CHILDREN_IN_CARE, Grade.GOOD)
    good_elsewhere = make_inspection(authority, title="Good overall only")
    make_judgement(good_elsewhere, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(good_elsewhere, JudgementArea.CHILDREN_IN_CARE, Grade.REQUIRES_IMPROVEMENT)
    filters = {"area": JudgementArea.CHILDREN_IN_CARE}
    assert shown_titles(client, **filters, grade=Grade.GOOD) == ["Good for children in care"]
    assert shown_titles(client, **filters, grade=Grade.INADEQUATE) == []


@pytest.mark.parametrize("councils", [2, 20])
def test_a_councils_timeline_query_count_does_not_grow_with_the_councils(
    client, seed_data, django_assert_num_queries, councils
):
    multiply_seed_data(councils, same_authority=False)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(council_url("synthetic-1"))
    assert response.status_code == 200
    with django_assert_num_queries(TIMELINE_KEPT_QUERIES):
        filtered = client.get(council_url("synthetic-1"), {"grade": Grade.GOOD})
    assert filtered.status_code == 200


def test_a_year_range_keeps_only_events_that_start_within_it(client, authority):
    for day in ("2022-12-31", "2023-01-01", "2023-12-31", "2024-01-01"):
        make_event(authority, title=f"Visit of {day}", start_date=datetime.date.fromisoformat(day))
    shown = shown_titles(client, year_from="2023", year_to="2023")
    assert shown == ["Visit of 2023-01-01", "Visit of 2023-12-31"]


def test_a_reversed_year_range_is_explained(client, db):
    shown = page_of(client.get(TIMELINE, {"year_from": "2023", "year_to": "2019"}))
    assert "The 'to' year must be the same as or after the 'from' year" in shown.find(role="alert")


def test_free_text_search_finds_words_in_findings_and_statements(client, authority):
    in_a_finding = make_event(authority, title="Visit with a finding")
    make_finding(
        in_a_finding, make_theme(), "Some care leavers were placed in bed and breakfast rooms."
    )
    in_a_statement = make_event(authority, title="Visit with a statement")
    make_statement(in_a_statement, "Progress has been at a snail's pace.")
    make_event(authority, title="Visit about something else")
    assert shown_titles(client, q="bed and breakfast") == ["Visit with a finding"]
    assert shown_titles(client, q="SNAIL") == ["Visit with a statement"]


def test_the_filter_form_keeps_what_was_chosen_and_escapes_it(client, authority):
    make_event(authority)
    query = {"kind": "monitoring_visit", "year_from": "2019", "q": '<script>"x'}
    form = page_of(client.get(TIMELINE, query)).find("form", role="search")
    assert form.value("kind") == "monitoring_visit"
    for unset in ("area", "grade", "theme"):
        assert form.value(unset) == "", unset
    assert form.value("year_from") == "2019"
    # Read back whole, the typed text was escaped: it stayed a value and made no element.
    assert form.value("q") == '<script>"x'
    assert not form.find_all("script")


def test_a_council_name_with_an_ampersand_is_shown_escaped(client, db):
    make_authority(name="Brighton & Hove City Council", slug="brighton-and-hove")
    response = client.get(council_url("brighton-and-hove"))
    assert page_of(response).headings(1) == ["Brighton & Hove City Council"]
    # The markup itself, since a parser reads "&" and "&amp;" alike.
    assert "Brighton &amp; Hove City Council</h1>" in response.content.decode()


def test_a_filter_in_error_is_marked_on_its_field(client, db):
    shown = page_of(client.get(TIMELINE, {"grade": "superb"}))
    select = shown.find("select", name="grade")
    assert select.attrs["aria-invalid"] == "true"
    message = shown.by_id(select.attrs["aria-describedby"])
    assert (
        message.text
        == "Error: Grade: that value is not one of the options. Choose one from the list."
    )
    # The red border of a field in error: the GOV.UK design system's required error state.
    assert "govuk-select--error" in select.attrs["class"].split()


def test_an_htmx_request_gets_the_content_without_the_sites_header_and_footer(client, seed_data):
    response = client.get(TIMELINE, {"kind": EventKind.INSPECTION}, headers={"HX-Request": "true"})
    fragment = page_of(response)
    top = [child for child in fragment.children if isinstance(child, Element)]
    # The title too: htmx puts it in the browser's tab.
    assert [(element.tag, element.attrs.get("id")) for element in top] == [
        ("title", None),
        ("div", "timeline-page"),
    ]
    assert not fragment.find_all(role="banner") and not fragment.find_all("footer")
    inspections = Event.objects.filter(kind=EventKind.INSPECTION).order_by("start_date", "pk")
    assert fragment.by_id("results").headings(3) == [event.title for event in inspections]


def test_the_500_page_is_in_the_site_design_and_needs_no_database(rf, settings):
    from ofsted_tracker.health import server_error

    settings.SITE_COUNCIL_NAME = "Testshire County Council"
    with CaptureQueriesContext(connection) as queries:
        response = server_error(rf.get("/"))
    shown = page_of(response)
    assert response.status_code == 500
    assert shown.headings(1) == ["Sorry, there is a problem with the service"]
    assert "Testshire County Council" in shown.find(role="banner")  # the site's own header
    assert len(queries) == 0


def test_an_address_with_too_many_parameters_gets_a_400_page_in_the_site_design(client, db):
    query = "&".join(f"kind{n}=x" for n in range(1200))  # over Django's limit of 1,000
    response = client.get(f"{TIMELINE}?{query}")
    assert response.status_code == 400
    shown = page_of(response)
    assert shown.headings(1) == ["The web address cannot be used"]
    assert ("go to the timeline", TIMELINE) in shown.links()


def test_a_head_request_is_answered_like_a_get(client, db):
    """Link checkers and monitoring send HEAD; they must not see 405."""
    response = client.head(TIMELINE)
    assert response.status_code == 200
    assert response.content == b""


def test_the_charts_words_read_each_grade_and_keep_titles_as_text(client, authority):
    """Screen readers hear the chart's description: each inspection, when, and its grade.
    A title with markup in it is read as written, never taken as markup."""
    first = make_inspection(authority, title="Inspection <b>one</b>")
    make_judgement(first, JudgementArea.OVERALL, Grade.INADEQUATE)
    second = make_inspection(
        authority, title="Inspection two", start_date=first.start_date + datetime.timedelta(900)
    )
    make_judgement(second, JudgementArea.OVERALL, Grade.GOOD)
    page = page_of(client.get(council_url(authority.slug)))
    expected = (
        f"Inspection <b>one</b>, {first.dates_display}: Inadequate. "
        f"Inspection two, {second.dates_display}: Good."
    )
    # One drawing for wide screens and one for phones, each described in words.
    assert page.by_id("grade-chart-desc-wide").text == expected
    assert page.by_id("grade-chart-desc-narrow").text == expected
