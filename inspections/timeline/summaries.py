"""What the printable summaries for scrutiny members show: the whole history, and one event.

They are read on paper, often in black and white, without the website around them, so
each page carries its own heading (title, authority, the date it was produced) and ends
with its sources written out in full, numbered in the order they are first cited.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from .. import dates
from ..choices import Grade
from ..models import Event, Figure, Finding, Judgement, LocalAuthority, Source
from .standing import where_things_stand

# The printed history gives each event one line, and only a graded inspection its grades
# and this many areas for improvement (the rest, and every visit's findings, are on each
# event's own summary). So 25 events still print on two sheets of A4 at 10.5 pt.
MAIN_IMPROVEMENTS = 2
# The history's key figures: the latest value of this many measures, newest first; every
# figure is on the summary of the event that reported it.
KEY_FIGURES = 4
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
class SummaryRow:
    """One event of the printed history: a line, with a graded inspection's detail."""

    event: Event
    overall: Judgement | None
    areas: list[Judgement]
    improvements: list[Finding]
    more_improvements: int
    source_numbers: list[int] = field(default_factory=list)

    @property
    def has_detail(self) -> bool:
        return bool(self.overall or self.areas or self.improvements)

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
    rows = []
    for event in events:
        overall = event.overall_judgement
        # Only a graded inspection's areas for improvement are printed here: a visit's
        # findings are on its own summary.
        improvements = event.improvements if event.is_graded else []
        rows.append(
            SummaryRow(
                event=event,
                overall=overall,
                areas=[j for j in event.judgements.all() if j is not overall],
                improvements=improvements[:MAIN_IMPROVEMENTS],
                more_improvements=max(len(improvements) - MAIN_IMPROVEMENTS, 0),
                source_numbers=sorted(
                    {numbers.cite(link.source) for link in event.event_sources.all()}
                ),
            )
        )
    figures = key_figures(Figure.objects.filter(event__authority=authority).for_summary())
    figure_rows = [(figure, numbers.cite(figure.source)) for figure in figures.shown]
    # From the events already read: no query of its own.
    standing = where_things_stand(events, dates.today(), authority.ofsted_url) if events else None
    return {
        "rows": rows,
        "figure_rows": figure_rows,
        "more_figures": figures.more,
        "sources": [(source, "") for source in numbers.sources],
        "authority_names": authority.name if events else "",
        "standing": standing,
    }


@dataclass(frozen=True)
class DrawnHistorySummary:
    """A council's printed history as drawn, below its header: the same for every address
    of its summary until the data (or the day) changes, so kept (views.history_summary)."""

    authority_names: str
    body: SafeString


def drawn_history_summary(authority: LocalAuthority | None) -> DrawnHistorySummary:
    context = history_summary_context(authority)
    body = render_to_string("inspections/timeline/partials/history_summary_body.html", context)
    return DrawnHistorySummary(context["authority_names"], body)


@dataclass
class KeyFigures:
    shown: list[Figure]
    more: int


def key_figures(figures) -> KeyFigures:
    """The latest value of each measure (by label), newest first, at most KEY_FIGURES of
    them; `figures` oldest first, as Figure.objects.for_summary() gives them."""
    figures = list(figures)
    latest: dict[str, Figure] = {}
    for figure in figures:
        latest[figure.label] = figure
    newest_first = sorted(
        latest.values(), key=lambda f: (f.event.start_date, f.event.pk), reverse=True
    )
    shown = newest_first[:KEY_FIGURES]
    return KeyFigures(shown=shown, more=len(figures) - len(shown))


def event_page_sources(event: Event) -> tuple[SourceNumbers, list[tuple[Source, str]]]:
    """The event page's sources numbered for its citations (its own sources first, in the
    order they were linked, then any other source one of its facts cites), and the list
    of them with what each contributed. `event` comes from Event.objects.for_detail(), so
    this runs no query."""
    numbers = SourceNumbers()
    contributions = {link.source_id: link.contribution for link in event.event_sources.all()}
    numbers.add(link.source for link in event.event_sources.all())
    for facts in (event.judgements, event.findings, event.figures, event.statements):
        numbers.add(fact.source for fact in facts.all())
    return numbers, [(s, contributions.get(s.pk, "")) for s in numbers.sources]


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
