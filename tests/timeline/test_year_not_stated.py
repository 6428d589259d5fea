"""Events whose year the source does not state (precision "month, year not stated"):
labelled on the timeline, drawn apart on the chart, and matched by the year filter when
their possible years (from `earliest_year`, when known, to the start date's year)
overlap the years chosen."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from inspections.choices import DatePrecision, Grade, JudgementArea
from inspections.models import EARLIEST_YEAR_RULE, Event

from ..builders import make_event, make_inspection, make_judgement
from ..html import page_of

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")
NOTE = "Shown because the year, which the source does not state, may be within the years you chose."


def undated(
    authority, title="Visit in some September", earliest: int | None = 2020, build=make_event
):
    """An event 'in September', of a year from `earliest` to 2022 (stored as the latest)."""
    fields = {
        "title": title,
        "start_date": datetime.date(2022, 9, 1),
        "start_date_precision": DatePrecision.MONTH_NO_YEAR,
        "earliest_year": earliest,
    }
    return build(authority, **fields)


def shown(client, **params):
    response = client.get(TIMELINE, params)
    assert response.status_code == 200
    return page_of(response).by_id("results")


def titles(client, **params) -> list[str]:
    return shown(client, **params).headings(3)


def test_an_event_without_a_stated_year_is_filed_apart_and_labelled(client, authority):
    make_event(authority, title="Dated visit", start_date=datetime.date(2022, 3, 1))
    undated(authority)
    results = shown(client)
    assert results.headings(2)[1:] == ["2022", "Year not stated"]
    item = results.section("Visit in some September")
    assert item.startswith(
        "September (year not stated in the source) Possible years: 2020 to 2022."
    )
    assert "Possible years" not in results.section("Dated visit")


@pytest.mark.parametrize(
    ("year_from", "year_to", "matched"),
    [
        ("2021", "2021", True),  # within its possible years
        ("2019", "2020", True),  # overlapping the earliest
        ("2022", "2030", True),  # overlapping the latest
        ("2023", "", False),  # after the latest
        ("", "2019", False),  # before the earliest
    ],
)
def test_the_year_filter_matches_when_the_possible_years_overlap(
    client, authority, year_from, year_to, matched
):
    undated(authority)
    results = shown(client, year_from=year_from, year_to=year_to)
    assert ("Visit in some September" in results.headings(3)) == matched
    assert (NOTE in results) == matched


def test_without_an_earliest_year_any_range_up_to_the_latest_matches(client, authority):
    undated(authority, earliest=None)
    assert titles(client, year_to="1995") == ["Visit in some September"]
    assert titles(client, year_from="2023") == []
    assert "Possible years: 2022 at the latest." in shown(client)


def test_dated_events_are_not_marked_as_uncertain_by_the_year_filter(client, authority):
    make_event(authority, title="Dated visit", start_date=datetime.date(2021, 3, 1))
    undated(authority)
    results = shown(client, year_from="2021", year_to="2021")
    assert results.headings(3) == ["Dated visit", "Visit in some September"]
    assert NOTE not in results.section("Dated visit")
    assert NOTE not in shown(client)  # and not without a year filter


def test_the_seeded_fifth_visit_is_matched_only_from_2020_to_2022(client, seed_data):
    visit = Event.objects.get(slug="fifth-monitoring-visit")
    assert visit.possible_years == (2020, 2022)
    assert "2020 is the earliest year" in visit.date_note
    assert visit.title in titles(client, year_from="2020", year_to="2020")
    assert visit.title not in titles(client, year_from="2019", year_to="2019")


def test_an_earliest_year_is_refused_on_a_dated_event(authority):
    event = make_event(authority, start_date=datetime.date(2021, 3, 1))
    event.earliest_year = 2019
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["earliest_year"] == [EARLIEST_YEAR_RULE]
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_an_earliest_year_after_the_latest_is_refused(authority):
    event = undated(authority)
    event.earliest_year = 2023
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["earliest_year"] == [EARLIEST_YEAR_RULE]
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_the_chart_draws_an_undated_inspection_hollow_over_its_possible_years(client, authority):
    for title, when in (("First", datetime.date(2016, 3, 1)), ("Last", datetime.date(2023, 3, 1))):
        make_judgement(make_inspection(authority, title=title, start_date=when), grade=Grade.GOOD)
    middle = undated(authority, title="Middle", earliest=2018, build=make_inspection)
    make_judgement(middle, JudgementArea.OVERALL, Grade.INADEQUATE)
    chart = page_of(client.get(TIMELINE)).find("figure")
    for svg in chart.find_all("svg"):
        points = [c for c in svg.find_all("circle") if "app-chart__point" in c.attrs["class"]]
        hollow = [c for c in points if "app-chart__point--year-unstated" in c.attrs["class"]]
        assert len(points) == 3 and len(hollow) == 1
        # The line joins the dated inspections only.
        assert len(svg.find("polyline").attrs["points"].split()) == 2
        span = svg.find("line", **{"class": "app-chart__span"})
        assert float(span.attrs["x1"]) < float(hollow[0].attrs["cx"]) <= float(span.attrs["x2"])
        assert "year not stated" in svg
    assert "September (year not stated in the source); possible years 2018 to 2022" in chart
    assert "A hollow point on a dashed line" in chart.find("figcaption")
