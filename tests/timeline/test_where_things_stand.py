"""The "Where things stand" panel on a council's page and its printed summary: current
grades, the last inspection and visit, and what the ILACS framework leads one to expect
next, with "today" fixed on either side of each boundary."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inspections.choices import DatePrecision, EventKind, EventStatus, Grade, JudgementArea
from inspections.timeline.standing import FRAMEWORK_URL, add_months

from ..builders import make_event, make_inspection, make_judgement
from ..html import page_of

pytestmark = pytest.mark.django_db

PANEL = "Where things stand"
NO_INSPECTION = "This window has passed and no inspection is recorded."
NO_VISIT = "This window has passed and no monitoring visit is recorded."


def inspected(authority, grade, published=datetime.date(2023, 5, 11), **fields):
    defaults = {
        "title": f"Inspection judged {grade}",
        "start_date": datetime.date(2023, 3, 13),
        "end_date": datetime.date(2023, 3, 24),
        "published_on": published,
    }
    inspection = make_inspection(authority, **(defaults | fields))
    make_judgement(inspection, JudgementArea.OVERALL, grade)
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.GOOD)
    return inspection


def panel_on(client, authority, day: datetime.date) -> str:
    with time_machine.travel(day, tick=False):
        return page_of(client.get(authority.get_absolute_url())).section(PANEL)


def test_requires_improvement_expects_a_standard_inspection_within_about_three_years(
    client, authority
):
    inspected(authority, Grade.REQUIRES_IMPROVEMENT)
    panel = panel_on(client, authority, datetime.date(2026, 5, 11))  # the window's last day
    assert "Expected next (an estimate) A standard inspection" in panel
    assert "By about May 2026, about three years after the report of 11 May 2023." in panel
    assert "within about three years of the last one, with a focused visit or a monitoring" in (
        panel
    )
    assert "Inspecting local authority children's services" in panel
    assert NO_INSPECTION not in panel
    assert NO_INSPECTION in panel_on(client, authority, datetime.date(2026, 5, 12))


def test_a_passed_window_sends_the_reader_to_ofsteds_own_list_of_reports(client, authority):
    authority.ofsted_urn = 80578
    authority.save()
    inspected(authority, Grade.REQUIRES_IMPROVEMENT)
    with time_machine.travel(datetime.date(2026, 11, 26), tick=False):
        page = page_of(client.get(authority.get_absolute_url()))
        printed = page_of(client.get(reverse("inspections:summary") + "?authority=testshire"))
    for shown in (page, printed):
        assert "The records here may be behind Ofsted's" in shown.section(PANEL)
        link = ("council's reports on Ofsted's website", authority.ofsted_url)
        assert link in shown.links()
    with time_machine.travel(datetime.date(2026, 5, 11), tick=False):
        before = page_of(client.get(authority.get_absolute_url()))
    assert "may be behind" not in before.section(PANEL)


@pytest.mark.parametrize("grade", [Grade.GOOD, Grade.OUTSTANDING])
def test_good_or_outstanding_expects_a_short_inspection(client, authority, grade):
    inspected(
        authority,
        grade,
        published=datetime.date(2022, 8, 31),
        start_date=datetime.date(2022, 6, 6),
        end_date=datetime.date(2022, 6, 17),
    )
    panel = panel_on(client, authority, datetime.date(2025, 8, 31))
    assert "A short inspection" in panel
    assert f"After a judgement of {Grade(grade).label.lower()}" in panel
    assert "with a focused visit in between" in panel
    assert "By about August 2025" in panel
    assert NO_INSPECTION not in panel
    assert NO_INSPECTION in panel_on(client, authority, datetime.date(2025, 9, 1))


def test_inadequate_expects_monitoring_visits_and_no_fixed_reinspection_date(client, authority):
    inspected(authority, Grade.INADEQUATE, published=datetime.date(2023, 5, 11))
    panel = panel_on(client, authority, datetime.date(2023, 8, 11))
    assert "Monitoring visits until the council is inspected again" in panel
    assert "The re-inspection has no fixed date." in panel
    assert (
        "Next monitoring visit: by about August 2023, about three months after the report "
        "of 11 May 2023."
    ) in panel
    assert NO_VISIT not in panel
    assert NO_VISIT in panel_on(client, authority, datetime.date(2023, 8, 12))


def test_a_monitoring_visit_moves_the_next_window_on(client, authority):
    inspected(authority, Grade.INADEQUATE, published=datetime.date(2023, 5, 11))
    make_event(
        authority,
        kind=EventKind.MONITORING_VISIT,
        title="First monitoring visit",
        start_date=datetime.date(2023, 9, 5),
        end_date=datetime.date(2023, 9, 6),
    )
    panel = panel_on(client, authority, datetime.date(2023, 12, 6))
    assert "by about December 2023, about three months after the last visit, 5 to 6 " in panel
    assert NO_VISIT not in panel
    assert NO_VISIT in panel_on(client, authority, datetime.date(2023, 12, 7))


def test_without_a_publication_date_the_window_counts_from_the_last_day_on_site(client, authority):
    inspected(authority, Grade.REQUIRES_IMPROVEMENT, published=None)
    panel = panel_on(client, authority, datetime.date(2024, 1, 1))
    assert "By about March 2026, about three years after the visit of 24 March 2023." in panel


def test_the_current_grades_come_from_the_latest_inspection_and_name_it(client, authority):
    older = make_inspection(authority, title="The older inspection")
    make_judgement(older, JudgementArea.OVERALL, Grade.INADEQUATE)
    latest = inspected(authority, Grade.REQUIRES_IMPROVEMENT, title="The latest inspection")
    with time_machine.travel(datetime.date(2024, 1, 1), tick=False):
        page = page_of(client.get(authority.get_absolute_url()))
    caption = "Current grades, from the The latest inspection (13 to 24 March 2023)"
    rows = page.table_rows(caption)
    assert rows[1:] == [
        ["Overall", "Requires improvement to be good"],
        ["Care leavers", "Good"],
    ]
    assert ("The latest inspection", latest.get_absolute_url()) in page.links()
    panel = page.section(PANEL)
    assert "Last inspection The latest inspection, 13 to 24 March 2023 (report published 11 " in (
        panel
    )
    assert "Inadequate" not in panel


def test_the_last_visit_is_the_latest_monitoring_or_focused_visit(client, authority):
    inspected(authority, Grade.GOOD)
    panel = panel_on(client, authority, datetime.date(2024, 1, 1))
    assert "Last visit None recorded" in panel
    make_event(
        authority,
        kind=EventKind.MONITORING_VISIT,
        title="An older visit",
        start_date=datetime.date(2023, 6, 1),
    )
    make_event(
        authority,
        kind=EventKind.FOCUSED_VISIT,
        title="Focused visit on care leavers",
        start_date=datetime.date(2023, 10, 3),
    )
    make_event(
        authority,
        kind=EventKind.SCRUTINY_MEETING,
        title="A later meeting",
        start_date=datetime.date(2023, 11, 3),
    )
    panel = panel_on(client, authority, datetime.date(2024, 1, 1))
    assert "Last visit Focused visit on care leavers, 3 October 2023 (focused visit)" in panel


def test_plans_still_ahead_are_listed_and_past_ones_are_not(client, authority):
    inspected(authority, Grade.GOOD)
    make_event(
        authority,
        kind=EventKind.FOCUSED_VISIT,
        status=EventStatus.PLANNED,
        title="Focused visit expected",
        start_date=datetime.date(2024, 3, 1),
        start_date_precision=DatePrecision.SEASON,
    )
    ahead = panel_on(client, authority, datetime.date(2024, 5, 31))
    assert "Announced in the sources Focused visit expected, expected Spring 2024" in ahead
    assert "Announced in the sources" not in panel_on(client, authority, datetime.date(2024, 6, 1))


def test_a_council_never_inspected_says_so_and_expects_nothing(client, authority):
    make_event(authority, kind=EventKind.FOCUSED_VISIT, title="A visit")
    panel = panel_on(client, authority, datetime.date(2024, 1, 1))
    assert "No graded inspection is recorded." in panel
    assert "Last inspection None recorded" in panel
    assert "Expected next" not in panel


def test_the_panel_is_at_the_top_of_the_council_page(client, authority):
    inspected(authority, Grade.GOOD)
    headings = page_of(client.get(authority.get_absolute_url())).headings(2)
    assert headings.index(PANEL) < headings.index("1 event")


def test_the_panel_cites_the_framework(client, authority):
    inspected(authority, Grade.GOOD)
    with time_machine.travel(datetime.date(2024, 1, 1), tick=False):
        links = page_of(client.get(authority.get_absolute_url())).links()
    assert ("Inspecting local authority children's services", FRAMEWORK_URL) in links


def test_the_printed_summary_shows_west_sussex_overdue_in_november_2026(client, seed_data):
    with time_machine.travel(datetime.date(2026, 11, 24), tick=False):
        page = page_of(client.get(reverse("inspections:summary")))
    panel = page.section(PANEL)
    assert "Summary produced on 24 November 2026" in page.text
    assert "A standard inspection" in panel
    assert "By about May 2026, about three years after the report of 11 May 2023." in panel
    assert NO_INSPECTION in panel
    assert page.headings(2).index(PANEL) < page.headings(2).index(
        "Inspections, visits and milestones"
    )


def test_the_printed_summary_in_july_2019_expects_monitoring_visits(client, seed_data):
    with time_machine.travel(datetime.date(2019, 7, 1), tick=False):
        panel = page_of(client.get(reverse("inspections:summary"))).section(PANEL)
    assert "Overall Inadequate" in panel
    assert "Monitoring visits until the council is inspected again" in panel
    assert "by about August 2019, about three months after the report of 8 May 2019" in panel
    assert "Announced in the sources: First quarterly monitoring visit, expected Autumn 2019" in (
        panel
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2024, 2, 29), 36, datetime.date(2027, 2, 28)),
        (datetime.date(2023, 11, 30), 3, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 5, 11), 36, datetime.date(2026, 5, 11)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected
