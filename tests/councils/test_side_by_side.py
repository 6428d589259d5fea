"""Two graded inspections of a council side by side, area by area, printable."""

import pytest
from django.urls import reverse

from inspections.choices import EventStatus, Framework, Grade, JudgementArea

from ..builders import make_inspection, make_judgement, multiply_seed_data
from ..html import page_of

pytestmark = pytest.mark.django_db

TABLE = "Area by area"
# The council, its inspections, their judgements and
# the judgements' sources: the same however many inspections the council has.
SIDE_BY_SIDE_QUERIES = 4


def url(slug="west-sussex", **query):
    return reverse("inspections:council_side_by_side", args=[slug]), query


def test_by_default_the_two_latest_inspections_are_compared(client, seed_data):
    path, _ = url()
    page = page_of(client.get(path))
    assert page.table_rows(TABLE)[0] == ["Area", "First (2019)", "Second (2023)", "What changed"]
    rows = {row[0]: row[1:] for row in page.table_rows(TABLE)[1:]}
    (care,) = [cells for label, cells in rows.items() if label.startswith("Children in care ")]
    assert care[0].startswith("Inadequate The experiences and progress of children in care and")
    assert care[1].startswith("Good The experiences and progress of children in care [")
    assert care[2] == "Better: Inadequate to Good."
    (leavers,) = [cells for label, cells in rows.items() if label.startswith("Care leavers ")]
    assert leavers[2] == "Better: Inadequate to Requires improvement."
    (label,) = [label for label in rows if label.startswith("Children in care ")]
    assert "separately since: a joint grade is compared with each of the two." in label
    assert "Sources" in page.headings()


def test_the_sif_inspection_against_2019_explains_the_frameworks(client, seed_data):
    path, query = url(first="sif-inspection-october-november", second="2019-ilacs-inspection")
    page = page_of(client.get(path, query))
    assert "ILACS replaced the Single Inspection Framework (SIF) in 2018" in page.text
    rows = {row[0]: row[1:] for row in page.table_rows(TABLE)[1:]}
    (adoption,) = [cells for label, cells in rows.items() if label.startswith("Adoption ")]
    assert adoption[1:] == ["Not judged", "Judged only in the first inspection."]
    (overall,) = [cells for label, cells in rows.items() if label.startswith("Overall ")]
    assert overall[2] == "Worse: Requires improvement to Inadequate."


def test_the_order_chosen_does_not_matter_the_older_comes_first(client, seed_data):
    path, query = url(first="2023-ilacs-inspection", second="sif-inspection-october-november")
    header = page_of(client.get(path, query)).table_rows(TABLE)[0]
    assert header[1:3] == ["First (2015)", "Second (2023)"]


def test_an_unknown_inspection_gets_a_clear_error_and_the_latest_two(client, seed_data):
    path, query = url(first="not-an-inspection", second="2019-ilacs-inspection")
    response = client.get(path, query)
    assert response.status_code == 200
    page = page_of(response)
    assert "Choose one of this council's graded inspections as the first" in page.text
    assert page.table_rows(TABLE)[0][1:3] == ["First (2019)", "Second (2023)"]


def test_the_same_inspection_twice_is_refused(client, seed_data):
    path, query = url(first="2019-ilacs-inspection", second="2019-ilacs-inspection")
    assert "Choose two different inspections" in page_of(client.get(path, query)).text


def test_another_councils_inspection_cannot_be_chosen(client, seed_data, authority):
    other = make_inspection(authority, slug="elsewhere-inspection")
    make_judgement(other, JudgementArea.OVERALL, Grade.GOOD)
    path, query = url(first="elsewhere-inspection", second="2019-ilacs-inspection")
    assert "Choose one of this council's" in page_of(client.get(path, query)).text


def test_a_council_with_one_inspection_is_told_there_is_nothing_to_compare(client, authority):
    inspection = make_inspection(authority, framework=Framework.ILACS)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    make_inspection(authority, status=EventStatus.PLANNED, title="Planned, not graded")
    path, _ = url(authority.slug)
    page = page_of(client.get(path))
    assert "fewer than two graded inspections recorded" in page.text


def test_the_council_page_links_to_it(client, seed_data):
    links = page_of(client.get(reverse("inspections:council", args=["west-sussex"]))).links()
    path, _ = url()
    assert ("Two of West Sussex County Council's inspections side by side", path) in links


@pytest.mark.parametrize("factor", [1, 10])
def test_the_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    path, _ = url()
    with django_assert_num_queries(SIDE_BY_SIDE_QUERIES):
        assert client.get(path).status_code == 200
