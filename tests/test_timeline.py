"""The timeline: at / the site's own council, at /councils/<slug>/ any council; every event
in order, with its kind, dates and grades."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.choices import EventKind
from inspections.models import Event

from .builders import multiply_seed_data

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")
# The page costs a fixed number of queries: the data version (for the ETag), the council,
# the count of its matching events, one page of events, their judgements, the council's
# overall grades for the chart, and the theme choices in the form. (No list of councils:
# the council is in the address.)
TIMELINE_QUERIES = 7


def council_url(slug: str) -> str:
    return reverse("inspections:council", args=[slug])


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
    first = client.get(TIMELINE, {"kind": "", "year_from": "2010"}).content.decode()
    assert f"{total} events matching your filters" in first
    assert "Showing events 1 to 50, page 1 of 2." in first
    assert first.count('<div class="moj-timeline__item') == 50
    assert 'href="?kind=&amp;year_from=2010&amp;page=2" rel="next"' in first
    assert 'aria-current="page">1</a>' in first
    second = client.get(TIMELINE, {"kind": "", "year_from": "2010", "page": "2"})
    html = second.content.decode()
    assert f"Showing events 51 to {total}, page 2 of 2." in html
    assert html.count('<div class="moj-timeline__item') == total - 50
    assert 'href="?kind=&amp;year_from=2010" rel="prev"' in html, "page 1 has no page number"
    assert 'rel="next"' not in html
    titles = [event.title for event in Event.objects.chronological()]
    results = html[html.index('id="results"') :]
    assert titles[50] + "<" in results and titles[49] + "<" not in results


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99", "1e9", "9" * 30])
def test_a_page_number_that_does_not_exist_shows_a_page_that_does(client, seed_data, page):
    multiply_seed_data(5)
    response = client.get(TIMELINE, {"page": page})
    assert response.status_code == 200
    assert "Showing events" in response.content.decode()


def test_a_short_timeline_has_no_page_links(client, seed_data):
    html = client.get(TIMELINE).content.decode()
    assert "govuk-pagination" not in html
    assert "Showing events" not in html


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_timeline_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(TIMELINE)
    assert response.status_code == 200


@pytest.mark.parametrize("councils", [2, 20])
def test_a_councils_timeline_query_count_does_not_grow_with_the_councils(
    client, seed_data, django_assert_num_queries, councils
):
    multiply_seed_data(councils, same_authority=False)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(council_url("synthetic-1"))
    assert response.status_code == 200


def shown_titles(client, **params) -> set[str]:
    html = client.get(TIMELINE, params).content.decode()
    results = html[html.index('id="results"') :]
    return {event.title for event in Event.objects.all() if event.title in results}


def test_an_area_and_grade_filter_matches_the_same_judgement(client, seed_data):
    titles = shown_titles(client, area="children_in_care", grade="good")
    assert titles == {Event.objects.get(kind=EventKind.INSPECTION, start_date__year=2023).title}
    assert shown_titles(client, area="children_in_care", grade="inadequate") == set()


def test_a_year_range_keeps_only_events_that_start_within_it(client, seed_data):
    titles = shown_titles(client, year_from="2023", year_to="2023")
    expected = {e.title for e in Event.objects.filter(start_date__year=2023)}
    assert titles == expected and expected


def test_a_reversed_year_range_is_explained(client, seed_data):
    html = client.get(TIMELINE, {"year_from": "2023", "year_to": "2019"}).content.decode()
    assert "The &#x27;to&#x27; year must be the same as or after the &#x27;from&#x27; year" in html


def test_free_text_search_finds_words_in_findings_and_statements(client, seed_data):
    assert shown_titles(client, q="bed and breakfast") == {
        Event.objects.get(kind=EventKind.INSPECTION, start_date__year=2014).title
    }
    statement_event = Event.objects.filter(statements__text__icontains="snail").get()
    assert statement_event.title in shown_titles(client, q="SNAIL")


def test_the_filter_form_keeps_what_was_chosen_and_escapes_it(client, seed_data):
    query = {"kind": "monitoring_visit", "year_from": "2019", "q": '<script>"x'}
    html = client.get(TIMELINE, query).content.decode()
    form = html[html.index('role="search"') : html.index("</form>")]
    assert '<option value="monitoring_visit" selected>' in form
    assert '<option value="" selected>Any</option>' in form  # area, grade and theme unset
    assert 'name="year_from"' in form and 'value="2019"' in form
    assert 'value="&lt;script&gt;&quot;x"' in form
    assert "<script>" not in form


def test_a_council_name_with_an_ampersand_is_shown_escaped(client, seed_data):
    from inspections.models import LocalAuthority

    LocalAuthority.objects.create(name="Brighton & Hove City Council", slug="brighton-and-hove")
    html = client.get(council_url("brighton-and-hove")).content.decode()
    assert '<h1 class="govuk-heading-xl">Brighton &amp; Hove City Council</h1>' in html


def test_a_filter_in_error_is_marked_on_its_field(client, seed_data):
    html = client.get(TIMELINE, {"grade": "superb"}).content.decode()
    select = html[html.index('<select name="grade"') :]
    select = select[: select.index(">")]
    assert 'aria-invalid="true"' in select
    assert 'aria-describedby="filter-grade-error"' in select
    assert "govuk-select--error" in select


def test_an_htmx_request_gets_only_the_results(client, seed_data):
    response = client.get(TIMELINE, {"kind": EventKind.INSPECTION}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html and "Overall grade over time" not in html


def test_the_500_page_is_in_the_site_design_and_needs_no_database(rf, settings):
    from ofsted_tracker.health import server_error

    settings.SITE_COUNCIL_NAME = "Testshire County Council"
    with CaptureQueriesContext(connection) as queries:
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Testshire County Council" in html  # the header names the site's own council
    assert len(queries) == 0


def test_an_address_with_too_many_parameters_gets_a_400_page_in_the_site_design(client, seed_data):
    query = "&".join(f"kind{n}=x" for n in range(1200))  # over Django's limit of 1,000
    response = client.get(f"{TIMELINE}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The web address cannot be used" in html
    assert 'href="/"' in html  # the way back to the timeline


def test_a_head_request_is_answered_like_a_get(client, seed_data):
    """Link checkers and monitoring send HEAD; they must not see 405."""
    response = client.head(TIMELINE)
    assert response.status_code == 200
    assert response.content == b""
