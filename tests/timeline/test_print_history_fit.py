"""A long history still prints on two sheets of A4 with readable text.

A council judged inadequate gathers monitoring visits fast: 25 events is a few years of
them. The printed history gives each event a line (a graded inspection its grades and
main areas for improvement too), so it stays on two sheets with the text at 10.5 pt.
"""

import datetime
import io

import pytest
from django.db.models import Count
from django.urls import reverse
from pypdf import PdfReader

from inspections.choices import EventKind, FindingKind, Grade, JudgementArea
from inspections.models import LocalAuthority

from ..builders import (
    generate,
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_theme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENTS = 25
MAX_SHEETS = 2
BODY_POINTS = 10.5


def history_of_25_events() -> LocalAuthority:
    """The longest of a few synthetic histories, topped up with monitoring visits (each
    with its areas for improvement) to 25 events."""
    generate(4, first_number=910)
    council = LocalAuthority.objects.annotate(n=Count("events")).order_by("-n").first()
    theme = make_theme()
    number = 100
    while council.events.count() < EVENTS:
        number += 1
        visit = make_event(
            council,
            title=f"Monitoring visit {number} to {council.name}",
            start_date=datetime.date(2026, 3, 1) + datetime.timedelta(days=number),
        )
        for n in range(3):
            make_finding(visit, theme, f"Improve plans, {n}.", kind=FindingKind.IMPROVEMENT)
    assert council.events.count() == EVENTS
    return council


def printed(page, url: str) -> PdfReader:
    page.goto(url)
    return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))


def text_sizes(pdf: PdfReader) -> list[tuple[str, float]]:
    """Every run of text on the sheets with its size in points as printed."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((" ".join(text.split()), round(size * tm[3] * cm[3], 2)))

    for sheet in pdf.pages:
        sheet.extract_text(visitor_text=visit)
    return runs


def joined(runs: list[tuple[str, float]]) -> str:
    """The sheets' text as read: runs split at a change of font join up again."""
    text = " ".join(text for text, _ in runs)
    for mark in ".,:;":
        text = text.replace(f" {mark}", mark)
    return text


def size_of(runs: list[tuple[str, float]], words: str) -> float:
    """The size of the run that begins with `words`, or that `words` begin with (a
    title can wrap onto a second run)."""
    sizes = [
        size
        for text, size in runs
        if text.startswith(words[:30]) or (len(text) > 5 and words.startswith(text[:30]))
    ]
    assert sizes, f"{words!r} is not printed"
    return min(sizes)


def test_a_history_of_25_events_prints_on_two_sheets_at_10_5_point(live_server, page):
    council = history_of_25_events()
    url = f"{live_server.url}{reverse('inspections:summary')}?authority={council.slug}"
    pdf = printed(page, url)
    assert len(pdf.pages) <= MAX_SHEETS
    runs = text_sizes(pdf)
    text = joined(runs)
    for event in council.events.all():
        assert event.title in text or event.title[:30] in text, event.title
        assert size_of(runs, event.title) >= BODY_POINTS, event.title
    inspections = council.events.filter(kind=EventKind.INSPECTION, judgements__isnull=False)
    assert inspections.exists()
    assert size_of(runs, "Main areas for improvement") >= BODY_POINTS
    assert size_of(runs, "Overall:") >= BODY_POINTS
    # One line each: a visit's own findings stay on its own summary.
    assert "Improve plans, 0." not in text


def test_the_grades_of_a_graded_inspection_print_in_words(live_server, page, authority):
    inspection = make_inspection(authority, title="The only inspection")
    make_judgement(inspection, JudgementArea.OVERALL, Grade.INADEQUATE)
    make_judgement(inspection, JudgementArea.LEADERSHIP, Grade.GOOD)
    url = f"{live_server.url}{reverse('inspections:summary')}?authority={authority.slug}"
    text = joined(text_sizes(printed(page, url)))
    assert "Overall: Inadequate." in text and "Good: Leaders." in text
