"""The printable summaries: the whole history at /summary/, and one event's at .../summary/."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from inspections.choices import (
    FRAMEWORK_AREAS,
    OFSTED_VISIT_KINDS,
    DatePrecision,
    EventKind,
    EventStatus,
    FindingKind,
    Framework,
    Grade,
    JudgementArea,
)
from inspections.models import Event, Figure, Finding, Source
from inspections.summaries import MAIN_IMPROVEMENTS, MAIN_STATEMENTS

from .builders import (
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_theme,
    multiply_seed_data,
)
from .html import page_of, words

pytestmark = pytest.mark.django_db

SUMMARY = reverse("inspections:summary")
TIMELINE = reverse("inspections:timeline")
HISTORY_TABLE = "Inspections and visits"
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The data version (for the ETag, inspections/conditional.py); the authority shown;
# events with their
# judgements, their areas for improvement and their source links, then the figures with
# their events and sources. Sources come joined onto those, not counted.
SUMMARY_QUERIES = 7
# The data version; the event, then its judgements, findings, figures, statements and
# source links.
EVENT_SUMMARY_QUERIES = 7


def event_summary_url(event) -> str:
    return reverse("inspections:event_summary", args=[event.slug])


def history_row(rows: list[list[str]], event: Event) -> list[str]:
    """The row of the history table about `event`: its second cell starts with the title."""
    (row,) = [row for row in rows[1:] if row[1].startswith(f"{event.title} ")]
    return row


def test_the_history_summary_has_a_row_for_every_inspection_and_visit_in_order(client, seed_data):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    shown = page_of(response)
    visits = list(Event.objects.filter(kind__in=OFSTED_VISIT_KINDS).order_by("start_date", "pk"))
    assert visits
    rows = shown.table_rows(HISTORY_TABLE)
    assert rows[0] == ["When", "Inspection or visit", "Judgements", "Main areas for improvement"]
    assert len(rows) == len(visits) + 1
    for row, event in zip(rows[1:], visits, strict=True):
        assert row[0].startswith(event.dates_display), event.title
        assert row[1].startswith(f"{event.title} {event.get_kind_display()}")
        for judgement in event.judgements.all():
            label = "Overall" if judgement.area == JudgementArea.OVERALL else judgement.area_short
            assert grade_is_given(row[2], label, judgement.get_grade_display()), event.title
        assert (event.title, event_summary_url(event)) in shown.links()


def test_the_history_summary_gives_every_grade_as_words(client, authority):
    inadequate = make_inspection(authority, title="The inadequate inspection")
    make_judgement(inadequate, JudgementArea.OVERALL, Grade.INADEQUATE)
    make_judgement(inadequate, JudgementArea.HELP_AND_PROTECTION, Grade.INADEQUATE)
    later = make_inspection(
        authority, title="The later inspection", start_date=datetime.date(2023, 3, 1)
    )
    make_judgement(later, JudgementArea.OVERALL, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(later, JudgementArea.CHILDREN_IN_CARE, Grade.GOOD)
    make_judgement(later, JudgementArea.LEADERSHIP, Grade.GOOD)
    rows = page_of(client.get(SUMMARY)).table_rows(HISTORY_TABLE)
    # Overall first, then the other areas grouped by grade, best grade first.
    assert history_row(rows, inadequate)[2] == "Overall: Inadequate Inadequate: Help and protection"
    assert history_row(rows, later)[2] == (
        "Overall: Requires improvement to be good Good: Children in care; Leaders"
    )


def test_the_history_summary_shows_the_main_areas_for_improvement_and_points_to_the_rest(
    client, authority
):
    event = make_event(authority, title="A visit with much to improve")
    theme = make_theme()
    texts = [f"Improvement number {n}." for n in range(1, MAIN_IMPROVEMENTS + 3)]
    for order, text in enumerate(texts):
        make_finding(event, theme, text, kind=FindingKind.IMPROVEMENT, order=order)
    make_finding(event, theme, "A strength, not an area for improvement.")
    shown = page_of(client.get(SUMMARY))
    improvements = history_row(shown.table_rows(HISTORY_TABLE), event)[3]
    main = " ".join(texts[:MAIN_IMPROVEMENTS])
    assert improvements == f"{main} And 2 more in the summary of this monitoring visit."
    assert ("the summary of this monitoring visit", event_summary_url(event)) in shown.links()


def test_the_history_summary_lists_the_key_figures_and_every_source_in_full(client, seed_data):
    shown = page_of(client.get(SUMMARY))
    figures = {(row[0], row[1]) for row in shown.table_rows("Key figures")[1:]}
    for figure in Figure.objects.all():
        assert (figure.label, figure.value_display) in figures, figure.label
    sources = shown.section("Sources")
    for source in Source.objects.filter(event_sources__isnull=False).distinct():
        assert words(source.title) in sources
        assert source.seed_file not in sources  # internal; readers get title, publisher, date
        assert source.date_display in sources or not source.published_on
        if source.publisher:
            assert source.publisher in sources
    headings = shown.headings(2)
    assert headings.index(HISTORY_TABLE) < headings.index("Key figures")
    assert headings.index("Key figures") < headings.index("Sources")


def test_a_source_address_is_printed_when_the_source_has_one(client, seed_data):
    cited = Source.objects.filter(event_sources__isnull=False).distinct()
    source = cited.filter(url="").first()
    source.url = "https://www.example.org/news/ofsted-report"
    source.save()
    shown = page_of(client.get(SUMMARY))
    assert "Address: https://www.example.org/news/ofsted-report" in shown
    # One address for each source that has one (Ofsted's documents have theirs), no more.
    assert shown.count("Address: ") == cited.exclude(url="").count()


def test_the_summary_is_headed_with_its_authority_and_the_day_it_was_produced(client, authority):
    make_event(authority)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 23, 30, tzinfo=LONDON), tick=False):
        summary = page_of(client.get(SUMMARY)).find("article")
    assert "Summary produced on 24 November 2026" in summary
    assert authority.name in summary  # on the paper, not only in the site's header


def test_a_planned_visit_is_marked_as_planned_and_not_graded(client, authority):
    event = make_event(
        authority,
        kind=EventKind.FOCUSED_VISIT,
        status=EventStatus.PLANNED,
        title="Expected focused visit",
        start_date=datetime.date(2030, 3, 1),
        start_date_precision=DatePrecision.SEASON,
    )
    row = history_row(page_of(client.get(SUMMARY)).table_rows(HISTORY_TABLE), event)
    assert row[0] == "Spring 2030 (planned)"
    assert row[2] == "Not yet happened: expected Spring 2030."


def test_the_summary_cites_each_rows_sources_by_number(client, authority):
    inspection = make_inspection(authority, title="The only inspection")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    source = inspection.sources.get()
    shown = page_of(client.get(SUMMARY))
    assert history_row(shown.table_rows(HISTORY_TABLE), inspection)[1].endswith("Source [1]")
    assert shown.section("Sources").startswith(f"[1] {source.title}")


def test_with_no_events_the_summary_says_so(client, db):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    assert "No inspections or visits are recorded yet." in page_of(response)


def test_an_inspection_summary_has_its_judgements_findings_figures_statements_and_sources(
    client, seed_data
):
    event = (
        Event.objects.filter(
            judgements__isnull=False,
            findings__isnull=False,
            figures__isnull=False,
            statements__isnull=False,
        )
        .distinct()
        .first()
    )
    shown = page_of(client.get(event_summary_url(event)))
    assert shown.headings(1) == [event.title]
    judgements = {tuple(row[:2]) for row in shown.table_rows("Judgements")[1:]}
    assert judgements == {
        (j.get_area_display(), j.get_grade_display()) for j in event.judgements.all()
    }
    for finding in event.findings.all():
        assert words(finding.text) in shown
    figures = {tuple(row[:2]) for row in shown.table_rows("Figures")[1:]}
    assert figures == {(f.label, f.value_display) for f in event.figures.all()}
    said = shown.section("What people said")
    statements = list(event.statements.select_related("person"))
    for statement in statements[:MAIN_STATEMENTS]:
        assert statement.person.name in said
        assert " ".join(statement.text.split()[:8]) in said
    if len(statements) > MAIN_STATEMENTS:
        more = len(statements) - MAIN_STATEMENTS
        assert f"And {more} more on the page of this graded inspection." in said
    sources = shown.section("Sources")
    for source in event.sources.all():
        assert words(source.title) in sources


def test_an_inspection_judged_inadequate_everywhere_says_so_for_every_area(client, authority):
    inspection = make_inspection(authority)
    areas = FRAMEWORK_AREAS[Framework.ILACS]
    for area in areas:
        make_judgement(inspection, area, Grade.INADEQUATE)
    rows = page_of(client.get(event_summary_url(inspection))).table_rows("Judgements")
    assert [row[:2] for row in rows[1:]] == [[area.label, "Inadequate"] for area in areas]


def test_findings_are_grouped_under_strengths_and_areas_for_improvement(client, authority):
    event = make_event(authority, title="A visit")
    theme = make_theme(name="Workforce")
    make_finding(event, theme, "Caseloads are too high.", kind=FindingKind.IMPROVEMENT)
    make_finding(event, theme, "Staff feel valued.", kind=FindingKind.STRENGTH)
    shown = page_of(client.get(event_summary_url(event)))
    headings = shown.headings(2)
    assert headings.index("Strengths") < headings.index("Areas for improvement")
    assert shown.section("Strengths") == "Staff feel valued. (Workforce) [1]"
    assert shown.section("Areas for improvement") == "Caseloads are too high. (Workforce) [1]"


def test_an_unknown_event_summary_is_not_found(client, db):
    response = client.get(reverse("inspections:event_summary", args=["no-such-visit"]))
    assert response.status_code == 404


def test_the_summaries_print_with_an_external_script_and_say_how_to_print_without_it(
    client, authority
):
    event = make_event(authority)
    for url in (SUMMARY, event_summary_url(event)):
        shown = page_of(client.get(url))
        button = shown.find("button", text="Print this summary")
        assert "hidden" in button.attrs, "the script shows the button"
        assert "Print this summary" not in shown, "without JavaScript there is no button"
        assert "use your browser's Print command" in shown
        scripts = [script.attrs.get("src", "") for script in shown.find_all("script")]
        assert all(scripts), "no inline script"
        assert any(src.endswith("app/print.js") for src in scripts)
        for element in shown.elements():
            # The strict Content-Security-Policy blocks inline handlers and styles.
            assert not [name for name in element.attrs if name.startswith("on")], element
            assert "style" not in element.attrs, element


def test_the_timeline_and_each_detail_page_link_to_their_summaries(client, authority):
    event = make_event(authority, title="A visit")
    timeline = page_of(client.get(TIMELINE))
    summary = f"{SUMMARY}?authority={authority.slug}"
    assert ("Print summary of the whole history", summary) in timeline.links()
    detail = page_of(client.get(event.get_absolute_url()))
    assert ("Print summary of A visit", event_summary_url(event)) in detail.links()


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
    shown = page_of(client.get(event_summary_url(event)))
    assert "Status Planned: the sources describe it as expected, not as having happened." in shown
    assert "Date October 2030" in shown


def grade_is_given(text: str, area_label: str, grade_label: str) -> bool:
    """Whether the history summary gives `area_label` the grade `grade_label`: overall on
    its own line, the other areas grouped by grade ("Inadequate: Help and protection;
    Leaders")."""
    flat = " ".join(text.split())
    if area_label == "Overall":
        return re.search(rf"Overall ?: {re.escape(grade_label)}", flat) is not None
    group = rf"{re.escape(grade_label)} ?: (?:[^:;]+; )*{re.escape(area_label)}(?:;| |$)"
    return re.search(group, flat) is not None
