"""Themes followed across the years, and the sources with the facts that cite them."""

import pytest
from django.urls import reverse

from inspections.models import Event, Finding, Source, Theme

from .builders import multiply_seed_data

pytestmark = pytest.mark.django_db

# Every public page first reads the data version, for its ETag (ofsted_tracker/http_cache.py).
# Then: the theme; the authority shown; its events; its findings; its figures.
THEME_QUERIES = 6
# The themes with their counts.
THEME_LIST_QUERIES = 2
# The sources, then one prefetch each for event links, judgements, findings, figures
# and statements.
SOURCE_QUERIES = 7


def test_care_leavers_can_be_followed_from_the_earlier_inspection_to_2023(client, seed_data):
    theme = Theme.objects.get(slug="care-leavers")
    html = client.get(theme.get_absolute_url()).content.decode()
    years = sorted({f.event.start_date.year for f in theme.findings.select_related("event")})
    assert len(years) >= 3, "care leavers should appear in at least three years"
    events = Event.objects.with_theme(theme).order_by("start_date", "pk")
    positions = [html.index(event.title) for event in events]
    assert positions == sorted(positions)
    assert "38%" in html, "the earlier inspection's NEET figure for care leavers"


def test_the_theme_list_links_every_theme(client, seed_data):
    html = client.get(reverse("inspections:themes")).content.decode()
    for theme in Theme.objects.all():
        assert theme.get_absolute_url() in html


def test_the_sources_page_lists_every_article_with_the_facts_it_gave(client, seed_data):
    html = client.get(reverse("inspections:sources")).content.decode()
    for source in Source.objects.all():
        assert source.title in html
        assert source.date_display in html
    finding = Finding.objects.first()
    assert finding.text in html


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_theme_and_source_pages_query_counts_do_not_grow(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(THEME_QUERIES):
        assert client.get(reverse("inspections:theme", args=["care-leavers"])).status_code == 200
    with django_assert_num_queries(THEME_LIST_QUERIES):
        assert client.get(reverse("inspections:themes")).status_code == 200
    with django_assert_num_queries(SOURCE_QUERIES):
        assert client.get(reverse("inspections:sources")).status_code == 200


def test_summary_and_theme_pages_show_one_authority_at_a_time(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    theme_url = reverse("inspections:theme", args=["care-leavers"])
    for url in (reverse("inspections:summary"), theme_url):
        first = client.get(url).content.decode()
        assert "(copy 1)" not in first, url
        other = client.get(url, {"authority": "synthetic-1"}).content.decode()
        assert "(copy 1)" in other, url
        assert client.get(url, {"authority": "nowhere"}).status_code == 404
