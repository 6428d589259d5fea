"""The summaries as a scrutiny member gets them: printed by real Chromium onto A4.

Each test prints a page to PDF with Playwright (the same engine as Chrome's Print), then
reads the PDF back with pypdf: how many sheets, and what text is on them.
"""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from inspections.choices import OFSTED_VISIT_KINDS, EventKind, JudgementArea
from inspections.models import Event, LocalAuthority
from tests.timeline.test_summary import grade_is_given

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)
MAX_PAGES = 2
LONDON = zoneinfo.ZoneInfo("Europe/London")
# Text of the website around a summary: none of it belongs on paper.
SCREEN_ONLY = [
    "Skip to main content",
    "Themes",
    "Timeline",
    "Filter",
    "Apply filters",
    "Print this summary",
    "Print command",
    "Back to the",
    "Download",
    "Built from published news reports",
]


def load_seed_data():
    # live_server needs committed rows (transaction=True), so load here, not in seed_data.
    call_command("loaddata", "west_sussex", verbosity=0)


def print_to_pdf(page, url: str) -> PdfReader:
    page.goto(url)
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))


def text_of(pdf: PdfReader) -> str:
    return " ".join(" ".join(p.extract_text() for p in pdf.pages).split())


def assert_a4_portrait(pdf: PdfReader):
    for sheet in pdf.pages:
        size = (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height)))
        assert size == A4_POINTS


def assert_no_screen_furniture(text: str):
    for words in SCREEN_ONLY:
        assert words not in text, f"{words!r} is printed"


def graded_inspections():
    return Event.objects.filter(kind=EventKind.INSPECTION, judgements__isnull=False).distinct()


def test_the_history_summary_prints_on_at_most_two_a4_pages_with_every_grade(live_server, page):
    load_seed_data()
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=LONDON)):
        pdf = print_to_pdf(page, live_server.url + reverse("inspections:summary"))
    assert 1 <= len(pdf.pages) <= MAX_PAGES
    assert_a4_portrait(pdf)
    text = text_of(pdf)
    assert "Summary produced on 24 November 2026" in text
    assert LocalAuthority.objects.get().name in text
    assert graded_inspections().exists()
    for inspection in graded_inspections():
        assert inspection.title in text
        for judgement in inspection.judgements.all():
            label = "Overall" if judgement.area == JudgementArea.OVERALL else judgement.area_short
            grade = judgement.get_grade_display()
            assert grade_is_given(text, label, grade), (inspection.title, label, grade)
    for event in Event.objects.filter(kind__in=OFSTED_VISIT_KINDS):
        assert event.title in text
    assert "Key figures" in text
    assert "Sources" in text
    assert_no_screen_furniture(text)


def test_each_inspection_and_visit_summary_prints_on_at_most_two_a4_pages(live_server, page):
    load_seed_data()
    events = list(Event.objects.order_by("start_date", "pk"))
    assert events
    for event in events:
        url = live_server.url + reverse("inspections:event_summary", args=[event.slug])
        pdf = print_to_pdf(page, url)
        assert 1 <= len(pdf.pages) <= MAX_PAGES, f"{event.title}: {len(pdf.pages)} pages"
        assert_a4_portrait(pdf)
        text = text_of(pdf)
        assert event.title in text
        assert event.authority.name in text
        for judgement in event.judgements.all():
            assert f"{judgement.get_area_display()} {judgement.get_grade_display()}" in text
        assert_no_screen_furniture(text)


def test_each_graded_inspection_summary_prints_its_overall_grade_and_sources(live_server, page):
    load_seed_data()
    for inspection in graded_inspections():
        url = live_server.url + reverse("inspections:event_summary", args=[inspection.slug])
        text = text_of(print_to_pdf(page, url))
        overall = inspection.judgements.get(area="overall").get_grade_display()
        assert f"Overall effectiveness {overall}" in text
        for source in inspection.sources.all():
            assert " ".join(source.title.split()) in text
            assert source.seed_file not in text  # an internal name, never printed


def test_the_print_button_prints_with_javascript_and_the_page_says_how_without(
    live_server, browser
):
    load_seed_data()
    url = live_server.url + reverse("inspections:summary")

    with_js = browser.new_context()
    page = with_js.new_page()
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(url)
    button = page.get_by_role("button", name="Print this summary")
    assert button.is_visible()
    assert not page.get_by_text("use your browser's Print command").is_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert not button.is_visible()
    with_js.close()

    without_js = browser.new_context(java_script_enabled=False)
    page = without_js.new_page()
    page.goto(url)
    button = page.get_by_role("button", name="Print this summary", include_hidden=True)
    assert button.count() == 1 and not button.is_visible()
    assert page.get_by_text("use your browser's Print command").is_visible()
    without_js.close()


def test_print_hides_the_site_and_keeps_rows_and_headings_whole(live_server, page):
    load_seed_data()
    page.goto(live_server.url + reverse("inspections:summary"))
    page.emulate_media(media="print")
    # Here the class names are the behaviour: the print style sheet hides the site's
    # header, navigation, footer and print actions by these classes, and keeps table
    # rows, the history's lines and headings whole by them.
    hidden = page.evaluate(
        """() => ['.app-header', '.govuk-service-navigation', '.govuk-skip-link',
                  '.govuk-breadcrumbs', '.govuk-footer', '.app-print-actions']
            .map(s => document.querySelector(s))
            .filter(el => el && getComputedStyle(el).display !== 'none')
            .map(el => el.className)"""
    )
    assert hidden == []
    styles = page.evaluate(
        """() => ({
            row: getComputedStyle(document.querySelector('.app-summary tbody tr')).breakInside,
            line: getComputedStyle(document.querySelector('.app-summary .app-history__line'))
                .breakInside,
            heading: getComputedStyle(document.querySelector('.app-summary h2')).breakAfter,
        })"""
    )
    assert styles == {"row": "avoid", "line": "avoid", "heading": "avoid"}


def test_the_summaries_pass_the_automated_accessibility_checks(live_server, page):
    load_seed_data()
    axe = (Path(__file__).parents[1] / "vendor" / "axe.min.js").read_text()
    inspection = Event.objects.filter(kind=EventKind.INSPECTION).first()
    for url in (
        reverse("inspections:summary"),
        reverse("inspections:event_summary", args=[inspection.slug]),
    ):
        page.goto(live_server.url + url)
        page.evaluate(axe)
        violations = page.evaluate(
            """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
                .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')))""",
            ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
        )
        assert violations == [], url


def test_the_summaries_fit_a_phone_screen_without_sideways_scrolling(live_server, page):
    """WCAG reflow: at 320 CSS pixels nothing needs scrolling in two directions."""
    load_seed_data()
    page.set_viewport_size({"width": 320, "height": 800})
    inspection = Event.objects.filter(kind=EventKind.INSPECTION).first()
    for url in (
        reverse("inspections:summary"),
        reverse("inspections:event_summary", args=[inspection.slug]),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url


def longest_comparison() -> str:
    """The council whose comparison has the most spells judged inadequate to list."""
    from inspections.councils.comparisons import compare
    from inspections.models import LocalAuthority

    candidates = LocalAuthority.objects.current().filter(statistical_neighbours__isnull=False)
    return max(candidates.distinct(), key=lambda a: len(compare(a).climbs)).slug


def test_the_comparison_with_neighbours_prints_on_at_most_two_a4_pages(live_server, page):
    call_command("seed", verbosity=0, stdout=io.StringIO())
    from inspections.models import LocalAuthority

    for slug in ("west-sussex", longest_comparison()):
        council = LocalAuthority.objects.get(slug=slug)
        url = live_server.url + reverse("inspections:council_compare", args=[slug])
        pdf = print_to_pdf(page, url)
        assert 1 <= len(pdf.pages) <= MAX_PAGES, f"{slug}: {len(pdf.pages)} pages"
        assert_a4_portrait(pdf)
        text = text_of(pdf)
        assert f"{council.name} beside its statistical neighbours" in text
        for link in council.statistical_neighbours.select_related("neighbour"):
            assert link.neighbour.name in text, (slug, link.neighbour.name)
        assert "Time to climb out of inadequate" in text
        assert "Open Government Licence v3.0" in text
        assert "Print this comparison" not in text
        assert_no_screen_furniture(text)
