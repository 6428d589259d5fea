"""The timeline as CSV and JSON (with the timeline's filters), and planned visits as iCalendar."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from inspections.choices import DatePrecision, EventKind, EventStatus, Grade, JudgementArea
from inspections.models import Event
from inspections.timeline.exports import spreadsheet_safe

from ..builders import (
    make_authority,
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_theme,
    multiply_seed_data,
)
from ..html import csv_rows, page_of

pytestmark = pytest.mark.django_db

CSV = reverse("inspections:timeline_csv")
JSON = reverse("inspections:timeline_json")
ICS = reverse("inspections:planned_ics")
TIMELINE = reverse("inspections:timeline")
LONDON = zoneinfo.ZoneInfo("Europe/London")
# Each export's ETag reads the data version from the shared cache (no query). Then:
# events, their judgements, and their source links with the sources joined on.
CSV_QUERIES = 3
# Events, then their judgements, findings, figures, statements and source links.
JSON_QUERIES = 6
# The planned events with their authority, in one query.
ICS_QUERIES = 1


def json_data(response) -> dict:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_the_csv_has_one_row_per_event_in_timeline_order(client, seed_data):
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="ofsted-')
    rows = csv_rows(response)
    events = list(Event.objects.order_by("start_date", "pk"))
    assert [row["Title"] for row in rows] == [spreadsheet_safe(e.title) for e in events]


def test_each_csv_row_says_which_council_it_is_about(client, authority):
    other = make_authority(name="Otherton Borough Council")
    for council in (authority, other):
        make_event(council, title=f"Visit to {council.name}")
    rows = csv_rows(client.get(CSV))
    assert {row["Title"]: row["Council"] for row in rows} == {
        "Visit to Testshire County Council": "Testshire County Council",
        "Visit to Otherton Borough Council": "Otherton Borough Council",
    }
    chosen = csv_rows(client.get(CSV, {"authority": other.slug}))
    assert [row["Council"] for row in chosen] == ["Otherton Borough Council"]


def test_the_csv_shows_dates_and_grades_as_words_with_one_column_per_area(client, authority):
    inspection = make_inspection(
        authority,
        title="An inspection",
        start_date=datetime.date(2019, 2, 25),
        end_date=datetime.date(2019, 3, 8),
    )
    make_judgement(inspection, JudgementArea.OVERALL, Grade.INADEQUATE)
    make_judgement(inspection, JudgementArea.CHILDREN_IN_CARE, Grade.GOOD)
    make_judgement(inspection, JudgementArea.LEADERSHIP, Grade.REQUIRES_IMPROVEMENT)
    (row,) = csv_rows(client.get(CSV))
    assert row["Dates"] == "25 February to 8 March 2019"
    assert row["Kind"] == "Graded inspection"
    assert row["Overall effectiveness"] == "Inadequate"
    assert row["Children in care"] == "Good"
    assert row["Leaders"] == "Requires improvement to be good"
    assert row["Care leavers"] == ""


def test_the_csv_gives_every_judgement_in_its_areas_column(client, seed_data):
    rows = {row["Title"]: row for row in csv_rows(client.get(CSV))}
    inspections = Event.objects.filter(kind=EventKind.INSPECTION, judgements__isnull=False)
    assert inspections.exists()
    for inspection in inspections.distinct():
        row = rows[inspection.title]
        assert row["Dates"] == inspection.dates_display
        for judgement in inspection.judgements.all():
            column = (
                "Overall effectiveness"
                if judgement.area == JudgementArea.OVERALL
                else JudgementArea(judgement.area).short_label
            )
            assert row[column] == judgement.get_grade_display()


def test_the_csv_gives_each_event_its_sources_and_web_address(client, seed_data):
    rows = {row["Title"]: row for row in csv_rows(client.get(CSV))}
    for event in Event.objects.all():
        row = rows[event.title]
        assert row["Web page"] == f"http://testserver{event.get_absolute_url()}"
        for source in event.sources.all():
            assert source.title in row["Sources"]


def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(client, authority):
    make_event(authority, title='=HYPERLINK("http://evil.example","click")', summary="+1")
    make_event(authority, title="@SUM(A1:A2)", summary="-2 children", slug="at-sign")
    rows = csv_rows(client.get(CSV))
    cells = [cell for row in rows for cell in row.values()]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'@SUM(A1:A2)" in cells
    assert "'+1" in cells and "'-2 children" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_csv_respects_the_timeline_filters(client, seed_data):
    rows = csv_rows(client.get(CSV, {"kind": EventKind.INSPECTION}))
    inspections = Event.objects.filter(kind=EventKind.INSPECTION)
    assert sorted(row["Title"] for row in rows) == sorted(e.title for e in inspections)
    assert {row["Kind"] for row in rows} == {"Graded inspection"}


def test_the_csv_respects_a_grade_and_year_filter(client, authority):
    for year, grade in ((2018, Grade.INADEQUATE), (2019, Grade.INADEQUATE), (2020, Grade.GOOD)):
        inspection = make_inspection(
            authority, title=f"Inspection of {year}", start_date=datetime.date(year, 3, 1)
        )
        make_judgement(inspection, JudgementArea.OVERALL, grade)
    rows = csv_rows(client.get(CSV, {"grade": Grade.INADEQUATE, "year_from": 2019}))
    assert [row["Title"] for row in rows] == ["Inspection of 2019"]


@pytest.mark.parametrize("url", [CSV, JSON])
def test_an_unusable_filter_gives_a_clear_400_not_a_download(client, db, url):
    response = client.get(url, {"kind": "party", "year_from": "soon"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert "The download was not made" in text
    assert "Kind of event: that value is not one of the options" in text
    assert "From year: Enter a whole number." in text
    assert "http://testserver/?kind=party&year_from=soon" in text


def test_a_year_range_the_wrong_way_round_is_refused_with_the_reason(client, db):
    response = client.get(JSON, {"year_from": 2023, "year_to": 2019})
    assert response.status_code == 400
    assert (
        "The 'to' year must be the same as or after the 'from' year." in response.content.decode()
    )


def test_empty_filters_from_the_form_export_everything(client, seed_data):
    empty = {"kind": "", "area": "", "grade": "", "theme": "", "year_from": "", "q": ""}
    data = json_data(client.get(JSON, empty))
    assert data["count"] == Event.objects.count()
    assert data["filters"] == {}


def test_the_json_holds_every_event_with_its_facts_and_sources(client, seed_data):
    response = client.get(JSON)
    assert response.status_code == 200
    data = json_data(response)
    events = {e.slug: e for e in Event.objects.all()}
    assert data["count"] == len(events) == len(data["events"])
    for item in data["events"]:
        event = events[item["slug"]]
        assert item["title"] == event.title
        assert item["dates"]["display"] == event.dates_display
        assert item["dates"]["start"] == event.start_date.isoformat()
        assert {(j["area"], j["grade"]) for j in item["judgements"]} == set(
            event.judgements.values_list("area", "grade")
        )
        assert [f["text"] for f in item["findings"]] == list(
            event.findings.order_by("order", "pk").values_list("text", flat=True)
        )
        assert [f["display"] for f in item["figures"]] == [
            f.value_display for f in event.figures.order_by("order", "pk")
        ]
        assert [s["text"] for s in item["statements"]] == list(
            event.statements.order_by("order", "pk").values_list("text", flat=True)
        )
        assert {s["id"] for s in item["sources"]} == set(event.sources.values_list("pk", flat=True))


def test_the_json_gives_grades_as_words_and_codes(client, authority):
    inspection = make_inspection(authority)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.INADEQUATE)
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.REQUIRES_IMPROVEMENT)
    (item,) = json_data(client.get(JSON))["events"]
    judgements = {j["area"]: (j["grade"], j["grade_display"]) for j in item["judgements"]}
    assert judgements == {
        "overall": ("inadequate", "Inadequate"),
        "care_leavers": ("requires_improvement", "Requires improvement to be good"),
    }


def test_the_json_respects_a_theme_filter_and_says_which_filters_it_used(client, authority):
    theme = make_theme(name="Care leavers", slug="care-leavers")
    with_theme = make_event(authority, title="About care leavers")
    make_event(authority, title="About something else")
    make_finding(with_theme, theme)
    data = json_data(client.get(JSON, {"theme": "care-leavers"}))
    assert [item["title"] for item in data["events"]] == ["About care leavers"]
    assert data["filters"] == {"theme": "care-leavers"}


def test_the_timeline_download_links_carry_the_current_filters_and_council(client, authority):
    filtered = page_of(client.get(TIMELINE, {"kind": EventKind.INSPECTION, "q": "care & leavers"}))
    query = f"?kind=inspection&q=care+%26+leavers&authority={authority.slug}"
    assert ("Download CSV of these events (spreadsheet)", f"{CSV}{query}") in filtered.links()
    assert ("Download JSON of these events (data)", f"{JSON}{query}") in filtered.links()
    assert "The downloads hold only the events matching your filters." in filtered
    unfiltered = page_of(client.get(TIMELINE, {"page": "1"}))
    csv_link = ("Download CSV of the timeline (spreadsheet)", f"{CSV}?authority={authority.slug}")
    assert csv_link in unfiltered.links(), "no page number in the download"
    assert ("Calendar of planned visits (iCalendar)", ICS) in unfiltered.links()


def test_the_download_links_follow_filters_changed_without_a_page_load(client, authority):
    """htmx swaps only the results when a filter changes; the links are inside them."""
    response = client.get(
        TIMELINE, {"kind": EventKind.FOCUSED_VISIT}, headers={"HX-Request": "true"}
    )
    fragment = page_of(response)
    assert not fragment.find_all("header"), "only the results fragment"
    hrefs = [href for _, href in fragment.links()]
    assert f"{CSV}?kind=focused_visit&authority={authority.slug}" in hrefs


def test_the_timeline_warns_that_downloads_refuse_an_unusable_filter(client, db):
    shown = page_of(client.get(TIMELINE, {"year_from": "soon"}))
    assert "The downloads refuse filters that could not be used" in shown
    assert client.get(CSV, {"year_from": "soon"}).status_code == 400


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_csv_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(CSV_QUERIES):
        response = client.get(CSV)
    assert len(csv_rows(response)) == Event.objects.count()


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_json_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(JSON_QUERIES):
        response = client.get(JSON, {"year_from": 2010})
    assert json_data(response)["count"] == Event.objects.count()


# iCalendar


def calendar(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
    assert b"\n" not in raw.replace(b"\r\n", b"")
    return icalendar.Calendar.from_ical(raw)


def test_the_calendar_holds_only_planned_events_as_all_day_entries(client, seed_data):
    # The day after the briefing of 15 May 2019 that announced most of the seed's plans:
    # all of them were still ahead. (tests/timeline/test_planned_outcomes.py: later days.)
    with time_machine.travel(datetime.datetime(2019, 5, 16, 9, tzinfo=LONDON), tick=False):
        response = client.get(ICS)
    assert response.status_code == 200
    entries = calendar(response).walk("VEVENT")
    planned = Event.objects.filter(status=EventStatus.PLANNED)
    assert planned.exists()
    assert sorted(str(e["SUMMARY"]) for e in entries) == sorted(
        f"Planned: {event.title} ({event.dates_display})" for event in planned
    )
    for entry in entries:
        start = entry.decoded("DTSTART")
        assert type(start) is datetime.date, "an all-day entry has a date, not a time"
        assert entry.decoded("DTSTAMP") == datetime.datetime(2019, 5, 16, 8, tzinfo=datetime.UTC)
        assert entry["STATUS"] == "TENTATIVE"


def test_a_planned_visit_known_only_to_the_season_says_so(client, authority):
    make_event(
        authority,
        kind=EventKind.FOCUSED_VISIT,
        status=EventStatus.PLANNED,
        title="Focused visit, date to be confirmed",
        summary="Ofsted is due to return; the article gives only the season.",
        start_date=datetime.date(2030, 3, 1),
        start_date_precision=DatePrecision.SEASON,
    )
    make_event(authority, title="A visit that happened")
    (entry,) = calendar(client.get(ICS)).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Planned: Focused visit, date to be confirmed (Spring 2030)"
    assert entry.decoded("DTSTART") == datetime.date(2030, 3, 1)
    assert entry.decoded("DTEND") == datetime.date(2030, 3, 2)
    description = str(entry["DESCRIPTION"])
    assert "the article gives only the season." in description
    assert "The sources give the date only as Spring 2030" in description
    assert "it is not a confirmed date" in description


def test_a_planned_visit_with_exact_dates_spans_them(client, authority):
    make_inspection(
        authority,
        status=EventStatus.PLANNED,
        title="Inspection booked",
        start_date=datetime.date(2030, 6, 2),
        end_date=datetime.date(2030, 6, 13),
    )
    (entry,) = calendar(client.get(ICS)).walk("VEVENT")
    assert entry.decoded("DTSTART") == datetime.date(2030, 6, 2)
    assert entry.decoded("DTEND") == datetime.date(2030, 6, 14), "DTEND is the day after"
    assert "The sources give the date as 2 to 13 June 2030." in str(entry["DESCRIPTION"])


def test_calendar_text_with_commas_semicolons_and_long_lines_survives(client, authority):
    summary = "Ofsted; the DfE, and the council’s board — " + "a long line " * 20
    make_event(
        authority,
        status=EventStatus.PLANNED,
        title="Review, part 1; again",
        summary=summary,
        start_date=datetime.date(2030, 1, 10),
    )
    (entry,) = calendar(client.get(ICS)).walk("VEVENT")
    assert str(entry["SUMMARY"]).startswith("Planned: Review, part 1; again (")
    assert str(entry["DESCRIPTION"]).startswith(summary.strip())


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_calendar_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with (
        time_machine.travel(datetime.date(2019, 5, 16), tick=False),
        django_assert_num_queries(ICS_QUERIES),
    ):
        response = client.get(ICS)
    planned = Event.objects.filter(status=EventStatus.PLANNED).count()
    assert len(calendar(response).walk("VEVENT")) == planned


def test_the_csv_says_how_precise_a_date_is(client, authority):
    make_event(
        authority,
        title="Visit in a September",
        start_date=datetime.date(2022, 9, 1),
        start_date_precision=DatePrecision.MONTH_NO_YEAR,
    )
    (row,) = csv_rows(client.get(CSV))
    assert row["Dates"] == "September (year not stated in the source)"
    assert row["Dates precise to"] == "month, year not stated"
    assert row["Start, for sorting (YYYY-MM-DD)"] == "2022-09-01"


def test_a_judgement_grade_reaches_the_csv_unchanged(client, authority):
    inspection = make_inspection(authority, title="Inspection with one grade")
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.REQUIRES_IMPROVEMENT)
    (row,) = csv_rows(client.get(CSV))
    assert row["Care leavers"] == "Requires improvement to be good"
    assert row["Overall effectiveness"] == ""
