"""What the printable summaries for scrutiny members show: the whole history, and one event.

They are read on paper, often in black and white, without the website around them, so
each page carries its own heading (title, authority, the date it was produced) and ends
with its sources written out in full, numbered in the order they are first cited.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from . import dates
from .choices import OFSTED_VISIT_KINDS, Grade
from .models import Event, Figure, Finding, Judgement, LocalAuthority, Source
from .standing import where_things_stand

# The history table shows this many areas for improvement per visit; the rest are on
# that visit's own summary. Keeps the whole history, with "Where things stand" above it,
# on two sheets of A4 (it was 3 before that panel).
MAIN_IMPROVEMENTS = 2
# An event's summary quotes this many statements; the rest are on the event's page.
# Keeps a long inspection (the SIF one has 34 findings) on two sheets of A4.
MAIN_STATEMENTS = 4


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

    @property
    def areas_by_grade(self) -> list[tuple[Judgement, list[str]]]:
        """[(a judgement with that grade, [the areas' short names])], best grade first: a
        SIF inspection's seven areas fit on two lines of the printed table."""
        grouped: dict[str, list[Judgement]] = {}
        for judgement in self.areas:
            grouped.setdefault(judgement.grade, []).append(judgement)
        order = list(Grade.values)
        return [
            (found[0], [j.area_short for j in found])
            for _grade, found in sorted(grouped.items(), key=lambda item: order.index(item[0]))
        ]


def history_summary_context(authority: LocalAuthority | None) -> dict:
    """What the printed history of `authority` shows, with its sources numbered."""
    events = list(Event.objects.for_history_summary(authority))
    numbers = SourceNumbers()
    rows, milestones = [], []
    for event in events:
        if event.kind not in OFSTED_VISIT_KINDS:
            milestones.append(event)
            continue
        overall = event.overall_judgement
        rows.append(
            HistoryRow(
                event=event,
                overall=overall,
                areas=[j for j in event.judgements.all() if j is not overall],
                improvements=event.improvements[:MAIN_IMPROVEMENTS],
                more_improvements=max(len(event.improvements) - MAIN_IMPROVEMENTS, 0),
                source_numbers=sorted(
                    {numbers.cite(link.source) for link in event.event_sources.all()}
                ),
            )
        )
    figures = Figure.objects.filter(event__authority=authority).for_summary()
    figure_rows = [(figure, numbers.cite(figure.source)) for figure in figures]
    for event in milestones:
        numbers.add(link.source for link in event.event_sources.all())
    standing = where_things_stand(events, dates.today(), authority.ofsted_url) if events else None
    return {
        "rows": rows,
        "milestones": milestones,
        "figure_rows": figure_rows,
        "sources": [(source, "") for source in numbers.sources],
        "authority_names": authority.name if events else "",
        "produced_on": timezone.localdate(),
        "main_improvements": MAIN_IMPROVEMENTS,
        # From the events already read: no query of its own.
        "standing": standing,
    }


def event_summary_context(event: Event) -> dict:
    """What the printed summary of one event shows, with its sources numbered.
    `event` comes from Event.objects.for_detail()."""
    numbers = SourceNumbers()
    judgements = [(j, numbers.cite(j.source)) for j in event.judgements.all()]
    sections = [
        (heading, [(f, numbers.cite(f.source)) for f in found])
        for heading, found in event.findings.all().by_kind()
    ]
    figures = [(f, numbers.cite(f.source)) for f in event.figures.all()]
    all_statements = list(event.statements.all())
    statements = [(s, numbers.cite(s.source)) for s in all_statements[:MAIN_STATEMENTS]]
    # The template ends each contribution with a full stop of its own.
    contributions = {
        link.source_id: link.contribution.rstrip(" .") for link in event.event_sources.all()
    }
    numbers.add(link.source for link in event.event_sources.all())
    return {
        "event": event,
        "judgements": judgements,
        "finding_sections": sections,
        "figures": figures,
        "statements": statements,
        "more_statements": max(len(all_statements) - MAIN_STATEMENTS, 0),
        "sources": [(s, contributions.get(s.pk, "")) for s in numbers.sources],
        "produced_on": timezone.localdate(),
    }
