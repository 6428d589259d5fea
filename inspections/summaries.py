"""Printable summaries for scrutiny members: the whole history, and one inspection or visit.

They are read on paper, often in black and white, without the website around them, so
each page carries its own heading (title, authority, the date it was produced) and ends
with its sources written out in full. Both pages cost a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .authorities import chosen_authority
from .choices import FINDING_HEADINGS, OFSTED_VISIT_KINDS, FindingKind, JudgementArea
from .models import Event, EventSource, Figure, Finding, Judgement, Source

# The history table shows this many areas for improvement per visit; the rest are on
# that visit's own summary. Keeps the whole history on two sheets of A4.
MAIN_IMPROVEMENTS = 4


class SourceNumbers:
    """Numbers sources [1], [2], … in the order they are first cited on a page."""

    def __init__(self):
        self._numbers: dict[int, int] = {}
        self.sources: list[Source] = []

    def cite(self, source: Source) -> int:
        if source.pk not in self._numbers:
            self._numbers[source.pk] = len(self.sources) + 1
            self.sources.append(source)
        return self._numbers[source.pk]

    def add(self, sources) -> None:
        """List sources without citing them in the text (they still get a number)."""
        for source in sources:
            self.cite(source)


@dataclass
class HistoryRow:
    event: Event
    overall: Judgement | None
    areas: list[Judgement]
    improvements: list[Finding]
    more_improvements: int
    source_numbers: list[int] = field(default_factory=list)


def _authority_names(events) -> str:
    names = []
    for event in events:
        if event.authority.name not in names:
            names.append(event.authority.name)
    return ", ".join(names)


@require_safe
def history_summary(request: HttpRequest) -> HttpResponse:
    authority = chosen_authority(request)
    events = list(
        Event.objects.filter(authority=authority)
        .select_related("authority")
        .prefetch_related(
            Prefetch("judgements", Judgement.objects.order_by("pk")),
            Prefetch(
                "findings",
                Finding.objects.filter(kind=FindingKind.IMPROVEMENT).order_by("order", "pk"),
                to_attr="improvements",
            ),
            Prefetch(
                "event_sources",
                EventSource.objects.select_related("source").order_by("source__published_on"),
            ),
        )
        .chronological()
    )
    numbers = SourceNumbers()
    rows, milestones = [], []
    for event in events:
        if event.kind not in OFSTED_VISIT_KINDS:
            milestones.append(event)
            continue
        judgements = list(event.judgements.all())
        overall = next((j for j in judgements if j.area == JudgementArea.OVERALL), None)
        rows.append(
            HistoryRow(
                event=event,
                overall=overall,
                areas=[j for j in judgements if j is not overall],
                improvements=event.improvements[:MAIN_IMPROVEMENTS],
                more_improvements=max(len(event.improvements) - MAIN_IMPROVEMENTS, 0),
                source_numbers=sorted(
                    {numbers.cite(link.source) for link in event.event_sources.all()}
                ),
            )
        )
    figures = list(
        Figure.objects.filter(event__authority=authority)
        .select_related("event", "source")
        .order_by("event__start_date", "event__pk", "order", "pk")
    )
    figure_rows = [(figure, numbers.cite(figure.source)) for figure in figures]
    for event in milestones:
        numbers.add(link.source for link in event.event_sources.all())
    context = {
        "rows": rows,
        "milestones": milestones,
        "figure_rows": figure_rows,
        "sources": [(source, "") for source in numbers.sources],
        "authority_names": _authority_names(events),
        "produced_on": timezone.localdate(),
        "main_improvements": MAIN_IMPROVEMENTS,
    }
    return render(request, "inspections/summary.html", context)


@require_safe
def event_summary(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    numbers = SourceNumbers()
    judgements = [(j, numbers.cite(j.source)) for j in event.judgements.all()]
    sections = []
    for kind in FindingKind:
        findings = [(f, numbers.cite(f.source)) for f in event.findings.all() if f.kind == kind]
        if findings:
            sections.append((FINDING_HEADINGS[kind], findings))
    figures = [(f, numbers.cite(f.source)) for f in event.figures.all()]
    statements = [(s, numbers.cite(s.source)) for s in event.statements.all()]
    # The template ends each contribution with a full stop of its own.
    contributions = {
        link.source_id: link.contribution.rstrip(" .") for link in event.event_sources.all()
    }
    numbers.add(link.source for link in event.event_sources.all())
    context = {
        "event": event,
        "judgements": judgements,
        "finding_sections": sections,
        "figures": figures,
        "statements": statements,
        "sources": [(s, contributions.get(s.pk, "")) for s in numbers.sources],
        "produced_on": timezone.localdate(),
    }
    return render(request, "inspections/summary_event.html", context)
