"""Themes followed across the years, and the sources with the facts that cite them."""

import datetime

import pytest
from django.db.models import Count
from django.urls import reverse

from inspections.choices import FigureUnit, FindingKind
from inspections.models import Source, Theme

from ..builders import (
    make_authority,
    make_event,
    make_figure,
    make_finding,
    make_theme,
    multiply_seed_data,
)
from ..html import page_of, words

pytestmark = pytest.mark.django_db

# The data version of every public page's ETag is in the shared cache: no query. Then:
# the theme; the authority shown; its events; its findings; its figures; the
# judgements of the areas the theme speaks to (the busiest theme speaks to one).
THEME_QUERIES = 6
# Until the data change, a later visit asks the database nothing: the theme, the
# authority and its events are kept in the shared cache, with each event's drawn item.
THEME_KEPT_QUERIES = 0
# The themes with their counts.
THEME_LIST_QUERIES = 1
# The sources, then one prefetch each for event links, judgements, findings, figures
# and statements.
SOURCE_QUERIES = 6


def test_a_theme_can_be_followed_across_the_years_in_date_order(client, authority):
    theme, other = make_theme(name="Care leavers"), make_theme(name="Something else")
    # Entered out of order, as an admin would when adding an older report later.
    latest = make_event(authority, title="Visit of 2023", start_date=datetime.date(2023, 3, 1))
    earliest = make_event(authority, title="Visit of 2014", start_date=datetime.date(2014, 10, 1))
    middle = make_event(authority, title="Visit of 2019", start_date=datetime.date(2019, 2, 25))
    unrelated = make_event(authority, title="Visit on another theme")
    make_finding(latest, theme, "Personal advisers keep in touch.")
    make_finding(earliest, theme, "Too many are not in work.", kind=FindingKind.IMPROVEMENT)
    label = "Care leavers not in education, employment or training"
    make_figure(middle, label, 38, unit=FigureUnit.PERCENT, theme=theme)
    make_finding(unrelated, other)
    shown = page_of(client.get(theme.get_absolute_url()))
    assert shown.headings(2) == ["Visit of 2014", "Visit of 2019", "Visit of 2023"]
    assert "Area for improvement: Too many are not in work." in shown.section("Visit of 2014")
    assert f"Figure: {label}: 38%." in shown.section("Visit of 2019")
    assert "Strength: Personal advisers keep in touch." in shown.section("Visit of 2023")


def test_the_theme_list_links_every_theme_with_its_counts(client, seed_data):
    shown = page_of(client.get(reverse("inspections:themes")))
    rows = shown.table_rows("Themes with the number of findings and figures on each")
    counts = {row[0]: row[1:] for row in rows[1:]}
    themes = Theme.objects.all()
    assert len(counts) == themes.count()
    for theme in themes:
        assert (theme.name, theme.get_absolute_url()) in shown.links()
        name = words(f"{theme.name} {theme.description}")
        assert counts[name] == [str(theme.findings.count()), str(theme.figures.count())]


def test_the_sources_page_lists_every_article_with_the_facts_it_gave(client, seed_data):
    shown = page_of(client.get(reverse("inspections:sources")))
    for source in Source.objects.prefetch_related("findings__event"):
        entry = shown.section(source.label)
        assert source.seed_file not in entry  # an internal name, never shown
        assert source.date_display in entry
        for finding in source.findings.all():
            cited = f"{finding.get_kind_display()} ({finding.event.title}): {finding.text}"
            assert words(cited) in entry


def busiest_theme() -> Theme:
    """The theme with the most findings: the fullest theme page."""
    return Theme.objects.annotate(found=Count("findings")).order_by("-found", "pk").first()


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_theme_and_source_pages_query_counts_do_not_grow(
    client, seed_data, django_assert_num_queries, factor
):
    theme = busiest_theme()
    multiply_seed_data(factor)
    with django_assert_num_queries(THEME_QUERIES):
        assert client.get(theme.get_absolute_url()).status_code == 200
    with django_assert_num_queries(THEME_KEPT_QUERIES):
        assert client.get(theme.get_absolute_url()).status_code == 200
    with django_assert_num_queries(THEME_LIST_QUERIES):
        assert client.get(reverse("inspections:themes")).status_code == 200
    with django_assert_num_queries(SOURCE_QUERIES):
        assert client.get(reverse("inspections:sources")).status_code == 200


def test_summary_and_theme_pages_show_one_authority_at_a_time(client, authority):
    """The site's own council first (here the first entered), another on request."""
    other = make_authority(name="Otherton Borough Council")
    theme = make_theme()
    for council in (authority, other):
        make_finding(make_event(council, title=f"Visit to {council.name}"), theme)
    ours, theirs = f"Visit to {authority.name}", "Visit to Otherton Borough Council"
    for url in (reverse("inspections:summary"), theme.get_absolute_url()):
        first = page_of(client.get(url))
        assert ours in first and theirs not in first, url
        chosen = page_of(client.get(url, {"authority": other.slug}))
        assert theirs in chosen and ours not in chosen, url
        assert client.get(url, {"authority": "nowhere"}).status_code == 404
