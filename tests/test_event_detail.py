"""One page per inspection or visit: judgements, findings by theme, figures, statements, sources."""

from html import unescape

import pytest
from django.urls import reverse

from inspections.choices import EventKind, FindingKind
from inspections.models import Event

from .builders import multiply_seed_data

pytestmark = pytest.mark.django_db

# The data version (for the ETag); the event with its authority; judgements, findings,
# figures, statements and source links (one prefetch each); the previous and the next event.
DETAIL_QUERIES = 9


def inspection(year: int) -> Event:
    return Event.objects.get(kind=EventKind.INSPECTION, start_date__year=year)


def test_an_event_has_a_stable_readable_address(seed_data):
    event = inspection(2023)
    assert event.get_absolute_url() == f"/events/{event.slug}/"
    assert event.slug.replace("-", "").isalnum()


def test_the_2023_page_shows_each_judgement_with_its_area(client, seed_data):
    event = inspection(2023)
    html = client.get(event.get_absolute_url()).content.decode()
    for judgement in event.judgements.all():
        assert judgement.get_area_display() in html
    assert "The experiences and progress of care leavers" in html
    assert html.count("Requires improvement to be good") >= 3


def test_findings_are_grouped_under_their_kind_and_theme(client, seed_data):
    event = inspection(2023)
    html = client.get(event.get_absolute_url()).content.decode()
    strengths, improvements = html.index(">Strengths<"), html.index(">Areas for improvement<")
    assert strengths < improvements
    for finding in event.findings.select_related("theme"):
        position = html.index(finding.text)
        heading = strengths if finding.kind == FindingKind.STRENGTH else improvements
        assert position > heading
        assert finding.theme.name in html


def test_statements_name_the_speaker_and_their_role_then(client, seed_data):
    event = Event.objects.filter(statements__isnull=False).distinct().first()
    html = unescape(client.get(event.get_absolute_url()).content.decode())
    for statement in event.statements.select_related("person"):
        assert statement.person.name in html
        assert statement.role in html


def test_the_page_lists_its_sources_with_what_each_contributed(client, seed_data):
    event = inspection(2019)
    html = client.get(event.get_absolute_url()).content.decode()
    for link in event.event_sources.select_related("source"):
        assert link.source.title in html
        assert link.contribution in html


def test_previous_and_next_follow_the_timeline(client, seed_data):
    events = list(Event.objects.order_by("start_date", "pk"))
    middle = events[len(events) // 2]
    index = events.index(middle)
    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'href="{events[index - 1].get_absolute_url()}" rel="prev"' in html
    assert f'href="{events[index + 1].get_absolute_url()}" rel="next"' in html


def test_a_vague_date_says_how_precise_it_is(client, seed_data):
    event = Event.objects.filter(start_date_precision="month_no_year").first()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "year not stated in the source" in html
    assert event.date_note.split(".")[0] in html


def test_an_unknown_event_is_a_404_in_the_site_design(client, seed_data):
    response = client.get(reverse("inspections:event", args=["no-such-visit"]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "West Sussex County Council" in response.content.decode()


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_detail_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    event = inspection(2023)
    multiply_seed_data(factor)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_the_breadcrumb_leads_back_to_the_events_council(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    event = Event.objects.filter(authority__slug="synthetic-1").first()
    html = client.get(event.get_absolute_url()).content.decode()
    breadcrumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index("Breadcrumb"))
    ]
    assert (
        '<a class="govuk-breadcrumbs__link" href="/councils/synthetic-1/">Synthetic council 1</a>'
        in breadcrumbs
    )
