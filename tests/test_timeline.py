"""The timeline at /: every event in order, with its kind, dates and grades."""

import pytest
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event

from .synthetic import multiply_seed_data

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")
# The page costs a fixed number of queries: events, their judgements, the overall
# grades for the chart, and the theme choices in the filter form.
TIMELINE_QUERIES = 4


def event_titles_in_page_order(html: str, events) -> list[str]:
    positions = sorted((html.index(e.title), e.title) for e in events if e.title in html)
    return [title for _, title in positions]


def test_the_timeline_lists_every_event_in_date_order(client, seed_data):
    response = client.get(TIMELINE)
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index('id="results"') :]
    events = list(Event.objects.order_by("start_date", "pk"))
    assert event_titles_in_page_order(html, events) == [e.title for e in events]


def test_the_timeline_shows_the_grades_of_2019_and_2023(client, seed_data):
    html = client.get(TIMELINE).content.decode()
    assert "Inadequate" in html
    assert "Requires improvement to be good" in html
    assert "Good" in html


def test_planned_events_are_marked_as_planned(client, seed_data):
    planned = Event.objects.filter(status="planned")
    assert planned.exists()
    response = client.get(TIMELINE)
    assert response.content.decode().count(">Planned</strong>") == planned.count()


def test_a_kind_filter_shows_only_that_kind(client, seed_data):
    response = client.get(TIMELINE, {"kind": EventKind.INSPECTION})
    html = response.content.decode()
    for event in Event.objects.all():
        assert (event.title in html) == (event.kind == EventKind.INSPECTION), event.title


def test_an_unknown_filter_value_gives_a_clear_message_not_an_error(client, seed_data):
    response = client.get(TIMELINE, {"kind": "party", "year_from": "last year"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert "Kind of event: that value is not one of the options" in html
    assert "Enter a whole number" in html


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_timeline_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(TIMELINE)
    assert response.status_code == 200
