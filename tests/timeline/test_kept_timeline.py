"""A council's timeline chosen from what each worker keeps (inspections/timeline/kept_timeline.py):
whatever the filters, the page shows exactly the events the database query finds."""

import datetime
import itertools

import pytest
from django.urls import reverse

from inspections.choices import DatePrecision, EventKind, EventStatus, Grade, JudgementArea
from inspections.timeline.filters import CouncilTimelineFilters

from ..builders import (
    make_authority,
    make_event,
    make_figure,
    make_finding,
    make_inspection,
    make_judgement,
    make_statement,
    make_theme,
)
from ..html import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(db):
    council = make_authority(name="Keptshire", slug="keptshire")
    other = make_authority(name="Elsewhere", slug="elsewhere")
    care, leavers = make_theme(name="Care", slug="care"), make_theme(name="Leavers", slug="leavers")
    grades = itertools.cycle(Grade.values)
    for year in range(2012, 2025):
        day = datetime.date(year, 1 + year % 12, 1 + year % 27)
        inspection = make_inspection(council, title=f"Inspection {year}", start_date=day)
        make_judgement(inspection, JudgementArea.OVERALL, next(grades))
        if year % 2:
            make_judgement(inspection, JudgementArea.CHILDREN_IN_CARE, next(grades))
        if year % 3 == 0:
            make_finding(inspection, care, text=f"Care leavers were seen in {year}.")
        visit = make_event(
            council, title=f"Visit {year}", kind=EventKind.MONITORING_VISIT, start_date=day
        )
        if year % 4 == 0:
            make_figure(visit, theme=leavers)
        if year % 5 == 0:
            make_statement(visit, text=f"Care was said to be improving in {year}.")
    # Years the source leaves out: possible from 2016 (or from any year) to 2018.
    for title, earliest in (("Visit some September", 2016), ("Visit some October", None)):
        undated = make_event(
            council,
            title=title,
            start_date=datetime.date(2018, 9 if earliest else 10, 1),
            start_date_precision=DatePrecision.MONTH_NO_YEAR,
            earliest_year=earliest,
        )
        make_finding(undated, care, text=f"Care was reviewed ({title}).")
    make_event(
        council,
        title="Visit planned",
        status=EventStatus.PLANNED,
        start_date=datetime.date(2030, 6, 1),
    )
    # Another council's events match the same filters but are not on this timeline.
    elsewhere = make_inspection(other, title="Inspection elsewhere")
    make_judgement(elsewhere, JudgementArea.OVERALL, Grade.GOOD)
    return council


FILTERS = [
    {},
    {"kind": EventKind.INSPECTION},
    {"kind": EventKind.MONITORING_VISIT, "theme": "leavers"},
    {"grade": Grade.GOOD},
    {"area": JudgementArea.CHILDREN_IN_CARE},
    {"area": JudgementArea.CHILDREN_IN_CARE, "grade": Grade.INADEQUATE},
    {"area": JudgementArea.OVERALL, "grade": Grade.OUTSTANDING, "kind": EventKind.INSPECTION},
    {"theme": "care"},
    {"year_from": "2015"},
    {"year_to": "2016"},
    {"year_from": "2014", "year_to": "2019", "grade": Grade.REQUIRES_IMPROVEMENT},
    {"year_from": "2020", "year_to": "2014"},
    {"year_to": "2015"},
    {"year_from": "2017", "year_to": "2017"},
    {"year_from": "2019"},
    {"year_to": "2016", "kind": EventKind.MONITORING_VISIT},
    {"q": "care"},
    {"q": "CARE", "kind": EventKind.MONITORING_VISIT},
    {"kind": "nonsense", "grade": Grade.GOOD},
    {"theme": "no-such-theme", "year_from": "2018"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_the_page_shows_what_the_filters_find_in_the_database(client, council, filters):
    url = reverse("inspections:council", args=[council.slug])
    events = list(CouncilTimelineFilters(filters, council=council).events())
    years = [heading for heading, _ in itertools.groupby(event.year_heading for event in events)]
    # Twice: chosen from the database the first time, from what was kept the second.
    for _ in range(2):
        results = page_of(client.get(url, filters)).by_id("results")
        assert results.headings(3) == [event.title for event in events]
        # The results' own heading, then the years the events are filed under.
        assert results.headings(2)[1:] == years
        assert results.count("Matching finding") == sum(
            bool(getattr(event, "matching_findings", ())) for event in events
        )


def test_a_change_of_data_shows_at_once_whatever_was_kept(client, council):
    url = reverse("inspections:council", args=[council.slug])
    good = {"grade": Grade.GOOD}
    before = page_of(client.get(url, good)).by_id("results").headings(3)
    assert "Inspection 2030" not in before
    added = make_inspection(council, title="Inspection 2030", start_date=datetime.date(2030, 1, 1))
    make_judgement(added, JudgementArea.OVERALL, Grade.GOOD)
    assert page_of(client.get(url, good)).by_id("results").headings(3) == [*before, added.title]
    council.name = "New Keptshire"
    council.save()
    assert page_of(client.get(url, good)).headings(1) == ["New Keptshire"]
