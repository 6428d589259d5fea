"""The timeline as a new visitor reads it (issue 15): a heading for each year, the date
right under each title, a plan's tag, the results first once filtered, the error summary
at the top, the filters in a fold, and the findings that matched a theme or a search."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.choices import EventStatus, FindingKind
from inspections.models import Event

from ..builders import make_event, make_finding, make_theme, multiply_seed_data
from ..html import Element, page_of, title_of

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def with_class(element: Element, name: str) -> list[Element]:
    return [e for e in element.elements() if name in e.attrs.get("class", "").split()]


def main_of(response) -> Element:
    assert response.status_code == 200, response.status_code
    return page_of(response).find("main")


def test_the_events_are_filed_under_a_heading_for_each_year(client, authority):
    make_event(authority, title="Spring visit", start_date=day("2019-03-04"))
    make_event(authority, title="Autumn visit", start_date=day("2019-10-01"))
    make_event(authority, title="Later visit", start_date=day("2021-06-07"))
    shown = main_of(client.get(TIMELINE)).by_id("results")
    assert shown.headings()[1:] == [
        "2019",
        "Spring visit",
        "Autumn visit",
        "2021",
        "Later visit",
    ]
    assert shown.headings(2)[1:] == ["2019", "2021"]  # a level above the events' titles


def test_the_date_is_the_first_thing_under_each_title(client, seed_data):
    shown = main_of(client.get(TIMELINE)).by_id("results")
    for event in Event.objects.filter(status=EventStatus.HAPPENED):
        assert shown.section(event.title).startswith(event.dates_display), event.title


def test_a_plan_is_marked_by_a_tag_on_the_line_of_its_date(client, authority):
    make_event(
        authority, title="A visit planned", status=EventStatus.PLANNED, start_date=day("2030-06-01")
    )
    make_event(authority, title="A visit made", start_date=day("2020-06-01"))
    with time_machine.travel(day("2025-01-01"), tick=False):
        shown = main_of(client.get(TIMELINE)).by_id("results")
    made_line, planned_line = with_class(shown, "app-timeline__when")  # in date order
    assert [tag.text for tag in with_class(planned_line, "govuk-tag")] == ["Planned"]
    assert planned_line.text == "Planned 1 June 2030"
    assert made_line.text == "1 June 2020"


def test_unfiltered_the_introduction_and_chart_come_before_the_events(client, seed_data):
    headings = main_of(client.get(TIMELINE)).headings(2)
    count = next(h for h in headings if h.endswith(" events"))
    chart = next(h for h in headings if h.startswith("Overall grade over time"))
    assert headings.index("Where things stand") < headings.index(chart) < headings.index(count)
    assert "About this timeline" not in headings


def test_with_a_filter_the_results_come_first_and_the_introduction_steps_aside(client, seed_data):
    main = main_of(client.get(TIMELINE, {"kind": "inspection"}))
    headings = main.headings(2)
    count = next(h for h in headings if h.endswith("matching your filters"))
    chart = next(h for h in headings if h.startswith("Overall grade over time"))
    # The caption and the council's name, then straight to the results.
    assert headings.index(count) < headings.index("About this timeline")
    assert headings.index("About this timeline") < headings.index("Where things stand")
    assert headings.index("Where things stand") < headings.index(chart)
    assert main.text.index("Filter the timeline") < main.text.index(count)
    assert main.text.index(count) < main.text.index("Every Ofsted inspection and visit")


def test_a_filter_in_error_puts_the_error_summary_at_the_top_and_in_the_title(client, db):
    response = client.get(TIMELINE, {"year_from": "2023", "year_to": "2019"})
    main = main_of(response)
    (summary,) = with_class(main, "govuk-error-summary")
    assert "The 'to' year must be the same as or after the 'from' year" in summary
    # Before everything else: the caption and the council's name come after it.
    assert main.text.startswith(summary.text)
    assert title_of(response).startswith("Error: ")
    assert not title_of(client.get(TIMELINE, {"year_from": "2019"})).startswith("Error")
    assert not title_of(client.get(TIMELINE)).startswith("Error")


def test_the_filters_fold_into_a_details_element_open_only_on_an_error(client, authority):
    make_event(authority)
    folded = page_of(client.get(TIMELINE, {"kind": "inspection", "year_from": "2019"}))
    details = folded.find("details")
    assert details.find("summary").text == "Filter the timeline (2 applied)"
    assert details.find("form", role="search").value("kind") == "inspection"
    assert "open" not in details.attrs
    assert page_of(client.get(TIMELINE)).find("summary").text == "Filter the timeline"
    in_error = page_of(client.get(TIMELINE, {"grade": "superb"})).find("details")
    assert "open" in in_error.attrs


def test_a_theme_filter_shows_the_findings_on_that_theme(client, authority):
    leavers, health = make_theme(name="Care leavers"), make_theme(name="Health")
    visit = make_event(authority, title="Visit with findings")
    make_finding(visit, leavers, "Care leavers have a personal adviser.")
    make_finding(visit, health, "Health assessments are late.", kind=FindingKind.IMPROVEMENT)
    shown = main_of(client.get(TIMELINE, {"theme": leavers.slug})).by_id("results")
    item = shown.section("Visit with findings")
    assert "Matching finding Strength (Care leavers): Care leavers have a personal adviser." in item
    assert "Health assessments are late." not in item


def test_a_search_shows_the_findings_that_contain_the_words(client, authority):
    theme = make_theme(name="Placements")
    visit = make_event(authority, title="Visit with findings")
    make_finding(visit, theme, "Some children were placed in bed and breakfast rooms.")
    make_finding(visit, theme, "Foster carers are well supported.")
    make_finding(visit, theme, "No more BED AND BREAKFAST for 16 year olds.")
    item = main_of(client.get(TIMELINE, {"q": "bed and breakfast"})).by_id("results")
    shown = item.section("Visit with findings")
    assert "Matching findings" in shown
    assert "placed in bed and breakfast rooms" in shown
    assert "No more BED AND BREAKFAST" in shown
    assert "Foster carers" not in shown


def test_matching_findings_are_never_kept_in_the_cached_event(client, authority):
    """Each event's markup is kept in the shared cache: the findings that
    matched one visitor's search must not appear for the next visitor's."""
    theme = make_theme(name="Placements")
    visit = make_event(authority, title="Visit with findings")
    make_finding(visit, theme, "Some children were placed in bed and breakfast rooms.")
    searched = main_of(client.get(TIMELINE, {"q": "breakfast"})).by_id("results")
    assert "bed and breakfast rooms" in searched.section("Visit with findings")
    unfiltered = main_of(client.get(TIMELINE)).by_id("results")
    assert "bed and breakfast rooms" not in unfiltered.section("Visit with findings")
    again = main_of(client.get(TIMELINE, {"theme": theme.slug})).by_id("results")
    assert "bed and breakfast rooms" in again.section("Visit with findings")


@pytest.mark.parametrize("factor", [1, 10])
def test_showing_matching_findings_costs_the_same_queries_at_any_size(
    client, seed_data, django_assert_num_queries, factor
):
    """With a theme and a search, the database chooses the events: the council, the theme
    chosen (the field's check), the events with whether each has a matching finding,
    figure or statement, the page's matching findings, the council's events with their
    judgements (to draw the items, the chart and "Where things stand"), and the theme
    choices in the form."""
    finding = Event.objects.get(slug="2023-ilacs-inspection").findings.first()
    query = {"theme": finding.theme.slug, "q": finding.text[:20]}
    multiply_seed_data(factor)
    with django_assert_num_queries(7):
        response = client.get(TIMELINE, query)
    assert finding.text in main_of(response).by_id("results")


@pytest.mark.parametrize("factor", [1, 10])
def test_a_theme_costs_the_same_queries_at_any_size(
    client, seed_data, django_assert_num_queries, factor
):
    """The database chooses the events on a theme and their findings on it; the items are
    drawn fragments. The first time, the unfiltered page's queries
    (tests/timeline/test_timeline.py), the theme chosen (the field's check), the events on
    it and their findings on it; any other combination with that theme, with every item
    kept, those three alone."""
    from .test_timeline import TIMELINE_QUERIES

    inspection = Event.objects.get(slug="2023-ilacs-inspection")
    finding = inspection.findings.first()
    theme = finding.theme.slug
    multiply_seed_data(factor)
    with django_assert_num_queries(TIMELINE_QUERIES + 2):
        first = main_of(client.get(TIMELINE, {"theme": theme}))
    with django_assert_num_queries(3):
        later = main_of(client.get(TIMELINE, {"theme": theme, "kind": "inspection"}))
    for page in (first, later):
        assert finding.text in page.by_id("results").section(inspection.title)


def test_a_filtered_page_says_in_words_what_it_was_filtered_by(client, authority):
    """On paper the form is not printed: the results say what they were narrowed to."""
    theme = make_theme(name="Care leavers")
    make_finding(make_event(authority, title="Visit"), theme, "Care leavers' rooms <b>")
    response = client.get(TIMELINE, {"kind": "monitoring_visit", "theme": theme.slug, "q": "<b>"})
    results = main_of(response).by_id("results")
    assert (
        "Filtered by kind of event: Monitoring visit; theme: Care leavers; "
        "search findings and statements: <b>."
    ) in results
    assert "Filtered by" not in main_of(client.get(TIMELINE)).by_id("results")
