"""The printable summaries: the whole history at /summary/, and one event's at .../summary/."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from inspections.choices import (
    OFSTED_VISIT_KINDS,
    DatePrecision,
    EventKind,
    EventStatus,
    FindingKind,
    Grade,
    JudgementArea,
)
from inspections.models import Event, Figure, Finding, Source
from inspections.summaries import MAIN_IMPROVEMENTS

from .builders import (
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_theme,
    multiply_seed_data,
)

pytestmark = pytest.mark.django_db

SUMMARY = reverse("inspections:summary")
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The data version (for the ETag, inspections/conditional.py); the authority shown;
# events with their
# judgements, their areas for improvement and their source links, then the figures with
# their events and sources. Sources come joined onto those, not counted.
SUMMARY_QUERIES = 7
# The data version; the event, then its judgements, findings, figures, statements and
# source links.
EVENT_SUMMARY_QUERIES = 7


def text_of(response) -> str:
    """The page's visible text with tags dropped and spaces collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.replace("&#x27;", "'").replace("&amp;", "&").split())


def event_summary_url(event) -> str:
    return reverse("inspections:event_summary", args=[event.slug])


def inspection_in(year: int) -> Event:
    return Event.objects.get(kind=EventKind.INSPECTION, start_date__year=year)


def test_the_history_summary_has_a_row_for_every_inspection_and_visit_in_order(client, seed_data):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    html = response.content.decode()
    visits = list(Event.objects.filter(kind__in=OFSTED_VISIT_KINDS).order_by("start_date", "pk"))
    assert visits
    links = [event_summary_url(e) for e in visits]
    positions = [html.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
    table = html[html.index("Inspections and visits") : html.index("Key figures")]
    assert table.count('<tr class="govuk-table__row">') == len(visits) + 1  # and the header


def test_the_history_summary_gives_every_grade_of_2019_and_2023_as_words(client, seed_data):
    text = text_of(client.get(SUMMARY))
    for year in (2019, 2023):
        for judgement in inspection_in(year).judgements.all():
            if judgement.area == JudgementArea.OVERALL:
                expected = f"Overall: {judgement.get_grade_display()}"
            else:
                expected = f"{judgement.area_short}: {judgement.get_grade_display()}"
            assert expected in text, (year, expected)
    assert "Overall: Inadequate" in text
    assert "Overall: Requires improvement to be good" in text


def test_the_history_summary_shows_the_main_areas_for_improvement_and_points_to_the_rest(
    client, seed_data
):
    text = text_of(client.get(SUMMARY))
    for event in Event.objects.filter(kind__in=OFSTED_VISIT_KINDS):
        improvements = list(
            event.findings.filter(kind=FindingKind.IMPROVEMENT).order_by("order", "pk")
        )
        for finding in improvements[:MAIN_IMPROVEMENTS]:
            assert " ".join(finding.text.split()) in text
        if len(improvements) > MAIN_IMPROVEMENTS:
            assert f"And {len(improvements) - MAIN_IMPROVEMENTS} more in the summary" in text


def test_the_history_summary_lists_the_key_figures_and_every_source_in_full(client, seed_data):
    text = text_of(client.get(SUMMARY))
    for figure in Figure.objects.all():
        assert f"{figure.label} {figure.value_display}" in " ".join(text.split()), figure.label
    for source in Source.objects.filter(event_sources__isnull=False).distinct():
        assert " ".join(source.title.split()) in text
        assert f"Reference: {source.seed_file}" in text
        if source.publisher:
            assert source.publisher in text
    assert text.index("Inspections and visits") < text.index("Key figures")
    assert text.index("Key figures") < text.rindex("Sources [1] ")


def test_a_source_address_is_printed_when_the_source_has_one(client, seed_data):
    source = Source.objects.filter(event_sources__isnull=False).first()
    source.url = "https://www.example.org/news/ofsted-report"
    source.save()
    text = text_of(client.get(SUMMARY))
    assert "Address: https://www.example.org/news/ofsted-report" in text
    assert text.count("Address: ") == 1


def test_the_summary_is_headed_with_its_authority_and_the_day_it_was_produced(client, seed_data):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 23, 30, tzinfo=LONDON), tick=False):
        text = text_of(client.get(SUMMARY))
    assert "Summary produced on 24 November 2026" in text
    for name in Event.objects.values_list("authority__name", flat=True).distinct():
        assert name in text


def test_a_planned_visit_is_marked_as_planned_and_not_graded(client, authority):
    make_event(
        authority,
        kind=EventKind.FOCUSED_VISIT,
        status=EventStatus.PLANNED,
        title="Expected focused visit",
        start_date=datetime.date(2030, 3, 1),
        start_date_precision=DatePrecision.SEASON,
    )
    text = text_of(client.get(SUMMARY))
    assert "Spring 2030 (planned)" in text
    assert "Not yet happened" in text


def test_the_summary_cites_each_rows_sources_by_number(client, authority):
    inspection = make_inspection(authority, title="The only inspection")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    source = inspection.sources.get()
    text = text_of(client.get(SUMMARY))
    assert "The only inspection" in text
    assert "Source [1]" in text
    assert f"[1] {source.title}" in text


def test_with_no_events_the_summary_says_so(client, db):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    assert "No inspections or visits are recorded yet." in text_of(response)


def test_an_inspection_summary_has_its_judgements_findings_figures_statements_and_sources(
    client, seed_data
):
    event = inspection_in(2023)
    text = text_of(client.get(event_summary_url(event)))
    assert event.title in text
    for judgement in event.judgements.all():
        assert f"{judgement.get_area_display()} {judgement.get_grade_display()}" in text
    for finding in event.findings.all():
        assert " ".join(finding.text.split()) in text
    for figure in event.figures.all():
        assert f"{figure.label} {figure.value_display}" in text
    for statement in event.statements.all():
        assert statement.person.name in text
        assert " ".join(statement.text.split()[:8]) in text
    for source in event.sources.all():
        assert " ".join(source.title.split()) in text


def test_the_2019_inspection_summary_says_inadequate_for_every_area(client, seed_data):
    event = inspection_in(2019)
    text = text_of(client.get(event_summary_url(event)))
    for judgement in event.judgements.all():
        assert f"{judgement.get_area_display()} Inadequate" in text


def test_findings_are_grouped_under_strengths_and_areas_for_improvement(client, authority):
    event = make_event(authority, title="A visit")
    theme = make_theme(name="Workforce")
    make_finding(event, theme, "Caseloads are too high.", kind=FindingKind.IMPROVEMENT)
    make_finding(event, theme, "Staff feel valued.", kind=FindingKind.STRENGTH)
    text = text_of(client.get(event_summary_url(event)))
    strengths, improvements = text.index("Strengths"), text.index("Areas for improvement")
    assert strengths < text.index("Staff feel valued.") < improvements
    assert improvements < text.index("Caseloads are too high.")


def test_an_unknown_event_summary_is_not_found(client, db):
    response = client.get(reverse("inspections:event_summary", args=["no-such-visit"]))
    assert response.status_code == 404


def test_the_summaries_print_with_an_external_script_and_say_how_to_print_without_it(
    client, seed_data
):
    for url in (SUMMARY, event_summary_url(Event.objects.first())):
        html = client.get(url).content.decode()
        assert re.search(r"<button[^>]*data-app-print[^>]*hidden", html)
        assert "use your browser's Print command" in html
        assert re.search(r'<script src="[^"]*app/print\.js"', html)
        assert "onclick" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
        assert "style=" not in html


def test_the_timeline_and_each_detail_page_link_to_their_summaries(client, seed_data):
    timeline = client.get(reverse("inspections:timeline")).content.decode()
    assert f'href="{SUMMARY}?authority=west-sussex"' in timeline
    event = Event.objects.first()
    detail = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{event_summary_url(event)}"' in detail
    assert ">Print summary<" in detail


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_history_summary_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    with django_assert_num_queries(SUMMARY_QUERIES):
        response = client.get(SUMMARY)
    assert response.status_code == 200


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_an_event_summary_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    multiply_seed_data(factor, same_authority=False)
    event = Finding.objects.order_by("pk").first().event
    with django_assert_num_queries(EVENT_SUMMARY_QUERIES):
        response = client.get(event_summary_url(event))
    assert response.status_code == 200


def test_a_planned_event_summary_says_it_has_not_happened(client, authority):
    event = make_event(
        authority,
        status=EventStatus.PLANNED,
        title="DfE review",
        start_date=datetime.date(2030, 10, 1),
        start_date_precision=DatePrecision.MONTH,
    )
    text = text_of(client.get(event_summary_url(event)))
    assert "Status Planned" in text
    assert "the sources describe it as expected, not as having happened." in text
    assert "Date October 2030" in text
