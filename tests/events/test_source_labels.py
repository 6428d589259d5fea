"""Every page names a source the same way: its title as written, who published it (or
what kind of source it is) and when, in sentence case around the title."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import DatePrecision, FindingKind, SourceKind

from ..builders import make_event, make_finding, make_source, make_theme
from ..html import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(authority):
    with_publisher = make_source(
        title="Inspection of Testshire local authority children’s services",
        kind=SourceKind.REPORT,
        publisher="Ofsted",
        published_on=datetime.date(2023, 5, 11),
        published_on_precision=DatePrecision.DAY,
    )
    undated_news = make_source(title="Council ‘glosses over’ CRITICISM", kind=SourceKind.NEWS)
    theme = make_theme(name="Care leavers")
    event = make_event(authority, source=with_publisher)
    make_finding(event, theme, "Advisers know young people well.", source=undated_news)
    make_finding(event, theme, "Too few have a home.", kind=FindingKind.IMPROVEMENT)
    return with_publisher, undated_news, event, theme, authority


LABELS = [
    "Inspection of Testshire local authority children’s services, Ofsted, 11 May 2023",
    "Council ‘glosses over’ CRITICISM, News report, date not stated",
]


def test_the_label_keeps_the_title_as_written_and_names_publisher_or_kind(sources):
    with_publisher, undated_news, *_ = sources
    assert [with_publisher.label, undated_news.label] == LABELS


def test_event_theme_sources_and_summary_pages_all_use_the_one_label(client, sources):
    *_, event, theme, authority = sources
    pages = {
        "event": event.get_absolute_url(),
        "theme": f"{theme.get_absolute_url()}?authority={authority.slug}",
        "sources": reverse("inspections:sources"),
        "event summary": reverse("inspections:event_summary", args=[event.slug]),
    }
    for name, url in pages.items():
        shown = page_of(client.get(url))
        for label in LABELS:
            assert label in shown, (name, label)
    # The history names the events' own sources (it leaves the findings to each event's).
    history = f"{reverse('inspections:summary')}?authority={authority.slug}"
    assert LABELS[0] in page_of(client.get(history))


def test_the_csv_and_json_name_an_event_s_sources_by_the_label(client, sources):
    *_, event, _theme, authority = sources
    csv_file = client.get(reverse("inspections:timeline_csv") + f"?authority={authority.slug}")
    assert LABELS[0] in csv_file.content.decode()
    data = client.get(reverse("inspections:timeline_json") + f"?authority={authority.slug}").json()
    labels = {s["label"] for item in data["events"] for s in item["sources"]}
    assert LABELS[0] in labels


def test_a_theme_entry_cites_by_number_and_names_each_source_once(client, sources):
    with_publisher, undated_news, event, theme, authority = sources
    make_finding(event, theme, "A third finding from the report.")
    shown = page_of(client.get(f"{theme.get_absolute_url()}?authority={authority.slug}"))
    entry = shown.section(event.title)
    assert "Advisers know young people well. Source [1]" in entry
    assert "Too few have a home. Source [2]" in entry
    assert "A third finding from the report. Source [2]" in entry
    assert entry.count(with_publisher.label) == 1
    assert f"[1] {undated_news.label} [2] {with_publisher.label}" in entry
