"""A council's recommendations followed through, as a visitor reads the page and its CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from inspections.choices import ConcernStatus, SourceKind
from inspections.councils.comparisons import OGL

from ..builders import (
    make_authority,
    make_inspection,
    make_link,
    make_recommendation,
    make_source,
    make_theme,
    make_update,
)
from ..html import page_of

pytestmark = pytest.mark.django_db

GRID = (
    "Each theme's recommendations against the inspections and visits that made them: "
    "raised (new), recurring (raised again) or resolved (a later source says addressed). "
    "A blank means nothing recorded."
)
# The council, its items, their updates and the links
# between them: the same however many items, links and updates the council has.
PAGE_QUERIES = 4


def page_url(slug: str) -> str:
    return reverse("inspections:council_recommendations", args=[slug])


def csv_url(slug: str) -> str:
    return reverse("inspections:council_recommendations_csv", args=[slug])


@pytest.fixture
def history(authority):
    """Supervision raised in 2019, reported as improving in 2020, raised again in 2023 and
    addressed in 2024; care leavers raised in 2023 only."""
    supervision, leavers = make_theme(name="Supervision"), make_theme(name="Care leavers")
    report_2019 = make_source(title="Ofsted report 2019", kind=SourceKind.REPORT)
    report_2023 = make_source(title="Ofsted report 2023", kind=SourceKind.REPORT)
    first = make_inspection(
        authority, report_2019, start_date=datetime.date(2019, 2, 25), title="2019 inspection"
    )
    second = make_inspection(
        authority, report_2023, start_date=datetime.date(2023, 3, 13), title="2023 inspection"
    )
    early = make_recommendation(first, supervision, "Make supervision regular.")
    again = make_recommendation(second, supervision, "Supervision is still not regular.")
    new = make_recommendation(second, leavers, "Help care leavers find homes.")
    make_link(early, again, reason="Both ask for regular supervision.", source=report_2023)
    make_update(
        early,
        ConcernStatus.PROGRESS,
        on=datetime.date(2020, 6, 1),
        quote="Supervision is more frequent.",
        source=make_source(title="Monitoring visit letter 2020"),
    )
    make_update(
        again,
        ConcernStatus.ADDRESSED,
        on=datetime.date(2024, 5, 1),
        quote="Every worker now has monthly supervision.",
        source=make_source(title="Council paper 2024"),
    )
    return early, again, new


def test_each_concern_shows_its_chain_status_and_sources(client, authority, history):
    page = page_of(client.get(page_url(authority.slug)))
    concerns = page.section("Each concern and where it stands")
    assert "Concern 1: Supervision" in concerns
    assert "Now: Addressed 1 May 2024" in concerns
    assert "Raised again by the 2023 inspection" in concerns
    assert "Linked to the earlier recommendation because: Both ask for regular supervision." in (
        concerns
    )
    assert "1 June 2020 Progress noted Supervision is more frequent." in concerns
    assert "Concern 2: Care leavers" in concerns
    assert "Now: Raised 13 March 2023" in concerns
    sources = page.section("Sources")
    for title in ("Ofsted report 2019", "Monitoring visit letter 2020", "Council paper 2024"):
        assert title in sources
    assert OGL in page


def test_a_recurring_concern_is_marked_and_a_new_one_is_not(client, authority, history):
    page = page_of(client.get(page_url(authority.slug)))
    concerns = page.section("Each concern and where it stands")
    supervision, leavers = concerns.split("Concern 2:")
    assert "Recurring: raised at 2 inspections or visits" in supervision
    assert "Recurring" not in leavers
    assert "2 concerns from 2 inspections and visits; 1 raised again." in page


def test_the_grid_puts_themes_against_inspections(client, authority, history):
    rows = page_of(client.get(page_url(authority.slug))).table_rows(GRID)
    assert rows == [
        ["Theme", "Graded inspection Feb 2019", "Graded inspection Mar 2023"],
        ["Care leavers", "", "Raised"],
        ["Supervision", "Raised", "Recurring"],
    ]


def test_an_addressed_update_marks_the_theme_resolved_in_its_period(client, authority, history):
    _, again, _ = history
    later = make_inspection(authority, start_date=datetime.date(2025, 1, 6))
    make_recommendation(later, make_theme(name="Health"), "Check health assessments.")
    make_update(again, ConcernStatus.ADDRESSED, on=datetime.date(2025, 6, 2))
    rows = page_of(client.get(page_url(authority.slug))).table_rows(GRID)
    assert rows[0][-1] == "Graded inspection Jan 2025"
    assert rows[-1] == ["Supervision", "Raised", "Recurring", "Resolved"]
    assert rows[1] == ["Care leavers", "", "Raised", ""]


def test_a_council_without_tracked_items_gets_a_clear_sentence(client):
    council = make_authority(name="Quietshire", slug="quietshire")
    page = page_of(client.get(page_url(council.slug)))
    assert "No recommendations are tracked for Quietshire yet" in page
    assert "Each concern and where it stands" not in page.headings()


def test_an_unknown_council_is_not_found(client, db):
    assert client.get(page_url("nowhere")).status_code == 404
    assert client.get(csv_url("nowhere")).status_code == 404


def test_the_council_timeline_links_to_it(client, authority, history):
    links = page_of(client.get(reverse("inspections:council", args=[authority.slug]))).links()
    assert (f"{authority.name}'s recommendations followed through", page_url(authority.slug)) in (
        links
    )


def more_concerns(authority, count: int) -> None:
    """`count` more chains, each of two linked items with an update on each."""
    theme = make_theme()
    for n in range(count):
        first = make_inspection(authority, start_date=datetime.date(2010 + n % 5, 1, 4 + n % 20))
        later = make_inspection(authority, start_date=datetime.date(2016 + n % 5, 2, 1 + n % 20))
        earlier_item = make_recommendation(first, theme, f"Concern {n}.")
        later_item = make_recommendation(later, theme, f"Concern {n} again.")
        make_link(earlier_item, later_item)
        make_update(earlier_item)
        make_update(later_item, ConcernStatus.ADDRESSED)


@pytest.mark.parametrize("count", [1, 12])
def test_the_query_count_does_not_grow_with_the_data(
    client, authority, history, django_assert_num_queries, count
):
    more_concerns(authority, count)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(page_url(authority.slug)).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(csv_url(authority.slug)).status_code == 200


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_item_with_its_chain_and_status(client, authority, history):
    rows = read_csv(client.get(csv_url(authority.slug)))
    assert [(row["Concern"], row["Item"], row["Recommendation"]) for row in rows] == [
        ("1", "1.1", "Make supervision regular."),
        ("1", "1.2", "Supervision is still not regular."),
        ("2", "2.1", "Help care leavers find homes."),
    ]
    first, again, new = rows
    assert first["Item status"] == "Progress noted"
    assert first["Item status date"] == "2020-06-01"
    assert first["Latest source"] == "Monitoring visit letter 2020"
    assert first["Linked later items"] == "1.2"
    assert again["Linked earlier items"] == "1.1"
    assert again["Raised again"] == "yes"
    assert again["Concern status now"] == "Addressed, 1 May 2024"
    assert new["Item status"] == "Raised"
    assert new["Date raised (YYYY-MM-DD)"] == "2023-03-13"
    assert f"Ofsted report 2023. {OGL}" in new["Sources"]


def test_the_csv_does_not_let_a_spreadsheet_run_a_formula(client, authority, history):
    _, _, new = history
    new.text = '=HYPERLINK("http://example.org")'
    new.save()
    (row,) = [row for row in read_csv(client.get(csv_url(authority.slug))) if row["Item"] == "2.1"]
    assert row["Recommendation"] == '\'=HYPERLINK("http://example.org")'
