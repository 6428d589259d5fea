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
from inspections.timeline.summaries import KEY_FIGURES, MAIN_IMPROVEMENTS, MAIN_STATEMENTS

from ..builders import (
    make_event,
    make_figure,
    make_finding,
    make_inspection,
    make_judgement,
    make_theme,
    multiply_seed_data,
)
from ..html import page_of, words

pytestmark = pytest.mark.django_db

SUMMARY = reverse("inspections:summary")
TIMELINE = reverse("inspections:timeline")
HISTORY = "Inspections, visits and milestones"
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The authority shown (the data version of the ETag is in the shared cache);
# events with their
# judgements, their areas for improvement and their source links, then the figures with
# their events and sources. Sources come joined onto those, not counted.
SUMMARY_QUERIES = 6
# The event, then its judgements, findings, figures, statements and
# source links.
EVENT_SUMMARY_QUERIES = 6


def event_summary_url(event) -> str:
    return reverse("inspections:event_summary", args=[event.slug])


def history_entries(shown) -> list[tuple[str, str]]:
    """The printed history's entries in page order: (the summary each links to, its text)."""
    return [
        (href, item.text)
        for item in shown.find_all("li")
        for _text, href in item.links()[:1]
        if href.endswith("/summary/")
    ]


def history_entry(shown, event: Event) -> str:
    """The text of the history's entry about `event`."""
    (text,) = [text for href, text in history_entries(shown) if href == event_summary_url(event)]
    return text


def test_the_history_summary_has_a_line_for_every_event_in_order(client, seed_data):
    response = client.get(SUMMARY)
    assert response.status_code == 200
    shown = page_of(response)
    events = list(Event.objects.order_by("start_date", "pk"))
    assert any(e.kind not in OFSTED_VISIT_KINDS for e in events)  # milestones are there too
    entries = history_entries(shown)
    assert [href for href, _ in entries] == [event_summary_url(e) for e in events]
    for (_href, text), event in zip(entries, events, strict=True):
        assert text.startswith(f"{event.dates_display} {event.title}"), event.title
        for judgement in event.judgements.all():
            label = "Overall" if judgement.area == JudgementArea.OVERALL else judgement.area_short
            assert grade_is_given(text, label, judgement.get_grade_display()), event.title
    assert HISTORY in shown.headings(2)


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
    shown = page_of(client.get(SUMMARY))
    # Overall first, then the other areas grouped by grade, best grade first.
    assert history_entry(shown, inadequate).endswith(
        "Overall: Inadequate. Inadequate: Help and protection."
    )
    assert history_entry(shown, later).endswith(
        "Overall: Requires improvement to be good. Good: Children in care; Leaders."
    )


def test_a_graded_inspection_gives_its_main_areas_for_improvement_and_points_to_the_rest(
    client, authority
):
    inspection = make_inspection(authority, title="An inspection with much to improve")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.INADEQUATE)
    theme = make_theme()
    texts = [f"Improvement number {n}." for n in range(1, MAIN_IMPROVEMENTS + 3)]
    for order, text in enumerate(texts):
        make_finding(inspection, theme, text, kind=FindingKind.IMPROVEMENT, order=order)
    make_finding(inspection, theme, "A strength, not an area for improvement.")
    shown = page_of(client.get(SUMMARY))
    main = " ".join(texts[:MAIN_IMPROVEMENTS])
    assert history_entry(shown, inspection).endswith(
        f"Main areas for improvement: {main} And 2 more on its own summary."
    )
    assert ("its own summary", event_summary_url(inspection)) in shown.links()


def test_a_visit_is_one_line_and_leaves_its_findings_to_its_own_summary(client, authority):
    visit = make_event(authority, title="A monitoring visit")
    make_finding(visit, make_theme(), "Plans are too vague.", kind=FindingKind.IMPROVEMENT)
    shown = page_of(client.get(SUMMARY))
    assert history_entry(shown, visit) == f"{visit.dates_display} A monitoring visit Source [1]"
    assert "Plans are too vague." not in shown


def test_the_history_summary_says_it_covers_the_whole_history(client, authority):
    make_event(authority)
    summary = page_of(client.get(f"{SUMMARY}?authority={authority.slug}&kind=focused_visit"))
    assert (
        "This summary covers the whole recorded history, whatever filters the timeline showed."
        in summary
    )


def test_a_filtered_timeline_says_its_printed_summary_covers_everything(client, authority):
    make_event(authority, kind=EventKind.FOCUSED_VISIT)
    filtered = page_of(client.get(f"{authority.get_absolute_url()}?kind=focused_visit"))
    assert "The printed summary covers the whole history." in filtered
    unfiltered = page_of(client.get(authority.get_absolute_url()))
    assert "The printed summary covers the whole history." not in unfiltered


def test_the_key_figures_give_each_measure_s_latest_value(client, authority):
    earlier = make_event(authority, title="Earlier visit", start_date=datetime.date(2020, 1, 6))
    later = make_event(authority, title="Later visit", start_date=datetime.date(2022, 1, 6))
    make_figure(earlier, label="Children in care", value=800)
    make_figure(later, label="Children in care", value=750)
    labels = [f"Measure {n}" for n in range(KEY_FIGURES)]
    for label in labels:
        make_figure(earlier, label=label, value=5)
    shown = page_of(client.get(SUMMARY))
    rows = shown.table_rows("Key figures")[1:]
    assert len(rows) == KEY_FIGURES
    assert rows[0][:2] == ["Children in care", "750"]
    assert "800" not in " ".join(" ".join(row) for row in rows)
    hidden = 1 + 1 + len(labels) - KEY_FIGURES  # the older count, and a measure left out
    assert f"{hidden} other figures are on the events' own summaries." in shown


def test_the_history_summary_lists_the_key_figures_and_every_source_in_full(client, seed_data):
    shown = page_of(client.get(SUMMARY))
    figures = {(row[0], row[1]) for row in shown.table_rows("Key figures")[1:]}
    assert 0 < len(figures) <= KEY_FIGURES
    latest = Figure.objects.order_by("-event__start_date").first()
    assert (latest.label, latest.value_display) in figures
    sources = shown.section("Sources")
    for source in Source.objects.filter(event_sources__isnull=False).distinct():
        assert words(source.label) in sources
        assert source.seed_file not in sources  # internal; readers get title, publisher, date
    headings = shown.headings(2)
    assert headings.index(HISTORY) < headings.index("Key figures")
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
    entry = history_entry(page_of(client.get(SUMMARY)), event)
    assert entry.startswith(
        "Spring 2030 Expected focused visit (planned) Not yet happened: expected Spring 2030."
    )
    assert "Overall" not in entry


def test_the_summary_cites_each_rows_sources_by_number(client, authority):
    inspection = make_inspection(authority, title="The only inspection")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    source = inspection.sources.get()
    shown = page_of(client.get(SUMMARY))
    assert "The only inspection Source [1]" in history_entry(shown, inspection)
    assert shown.by_id("summary-source-1").text.startswith(f"[1] {source.label}")


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


# Another address of a summary drawn since the last change: none; the authority shown
# and the history below the header are kept in the shared cache.
KEPT_SUMMARY_QUERIES = 0


def test_another_address_of_a_summary_draws_only_its_header_again(
    client, seed_data, django_assert_num_queries
):
    multiply_seed_data(10)
    first = page_of(client.get(SUMMARY))
    with django_assert_num_queries(KEPT_SUMMARY_QUERIES):
        response = client.get(f"{SUMMARY}?from=agenda")
    again = page_of(response)
    # The header names the address printed from; the history below it is the same.
    assert "from the Ofsted inspection history at http://testserver/summary/?from=agenda" in (
        again.text
    )
    assert "(copy 9)" in again.section(HISTORY)
    assert again.section(HISTORY) == first.section(HISTORY)
    assert again.section("Sources") == first.section("Sources")


def test_an_inspection_added_after_a_summary_was_kept_is_printed(client, authority):
    make_event(authority, title="An earlier visit")
    before = page_of(client.get(SUMMARY)).text
    make_event(authority, title="A visit added by an admin")
    after = page_of(client.get(f"{SUMMARY}?from=agenda")).text
    assert "A visit added by an admin" not in before
    assert "An earlier visit" in after
    assert "A visit added by an admin" in after


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
    group = rf"{re.escape(grade_label)} ?: (?:[^:;]+; )*{re.escape(area_label)}(?:[;.]| |$)"
    return re.search(group, flat) is not None
