"""A council's timeline kept under the data version (issue 16), so that an address
nobody has asked for since the last change (another filter combination, another page) is
chosen and drawn from what each worker already holds: no query but the data version's,
once its events have been drawn for any address.

- `CouncilHistory`: a council's events, read once when something is not kept yet, and
  what is worked out from them: `rows()`, what the filters look at of every event, as
  plain values, oldest first. `matching` narrows them as `TimelineFilters.events()` narrows
  the QuerySet (tests/timeline/test_kept_timeline.py runs the filters through both), with the
  events on a theme and their findings on it (`theme_matches`), kept by theme. The
  free-text search is left to the database (`chosen_entries`): the page then shows, under
  each event, the findings that made it match.
- `timeline_items`: each event's rendered item, kept by event, drawn together for
  those not yet kept.
- `TimelineEntry`: what the timeline's loop shows of one event, from a kept row or from
  an event the database found; `chosen_entries` chooses a page of them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString

from ofsted_tracker.http_cache import kept_fragment

from .. import dates
from ..choices import DatePrecision, EventStatus, JudgementArea
from ..councils.charts import GradeChart, grade_chart
from ..models import Event, Figure, Finding, LocalAuthority, Theme
from ..web.fragments import kept_pieces
from ..web.pagination import Pagination, paginate
from .filters import CouncilTimelineFilters
from .standing import Standing, where_things_stand

ITEM_TEMPLATE = "inspections/timeline/partials/timeline_item.html"


@dataclass(frozen=True)
class TimelineRow:
    """Of one event, what the timeline's filters look at."""

    pk: int
    kind: str
    year: int  # of its start date: where the year is not stated, the latest it can be
    year_is_stated: bool
    earliest_year: int | None  # where the year is not stated, the earliest it can be
    is_planned: bool
    grades: frozenset[tuple[str, str]]  # (area, grade) of each judgement

    def within_years(self, year_from: int | None, year_to: int | None) -> bool:
        """As filters.within_years(): a stated year within the years, or possible years
        that overlap them."""
        if year_from and self.year < year_from:
            return False
        if not year_to:
            return True
        if self.year_is_stated:
            return self.year <= year_to
        return self.earliest_year is None or self.earliest_year <= year_to


@dataclass(frozen=True)
class MatchingFinding:
    """A finding that made an event match the theme or text filters, as shown under it."""

    kind_label: str
    theme_name: str
    text: str

    @classmethod
    def of(cls, finding: Finding) -> "MatchingFinding":
        return cls(finding.get_kind_display(), finding.theme.name, finding.text)


@dataclass(frozen=True)
class ThemeMatches:
    """Of a council's events, those with a finding or a figure on one theme (as
    EventQuerySet.with_theme()), and the findings on it under each."""

    event_pks: frozenset[int]
    findings: dict[int, tuple[MatchingFinding, ...]]


@dataclass(frozen=True)
class TimelineEntry:
    """What the timeline shows of one event: its drawn item, the heading of the year it
    is filed under, and the findings that made it match the theme or text filters."""

    item: str
    year_heading: str
    year_is_stated: bool
    is_planned: bool
    matching_findings: Sequence[MatchingFinding] = field(default=())


class CouncilHistory:
    """A council's events, read at most once a request and only when something the page
    needs is not kept yet (a first visit after a change of data): then the filters' rows,
    the missing items, the grade chart and "where things stand" are all worked out from
    this one reading (two queries), rather than each asking the database again."""

    def __init__(self, council: LocalAuthority | None):
        self.council = council

    @cached_property
    def events(self) -> list[Event]:
        """Every event of the council, oldest first, with what a timeline item shows."""
        if self.council is None:
            return []
        return list(Event.objects.filter(authority=self.council).for_timeline())

    def rows(self) -> list[TimelineRow]:
        """What the filters look at, of every event, oldest first."""
        return [
            TimelineRow(
                event.pk,
                event.kind,
                event.start_date.year,
                year_is_stated=event.start_date_precision != DatePrecision.MONTH_NO_YEAR,
                earliest_year=event.earliest_year,
                is_planned=event.status == EventStatus.PLANNED,
                grades=frozenset((j.area, j.grade) for j in event.judgements.all()),
            )
            for event in self.events
        ]

    def chart(self) -> GradeChart | None:
        """The chart of the council's overall judgements, oldest first."""
        return grade_chart(
            [
                judgement
                for event in self.events
                for judgement in event.judgements.all()
                if judgement.area == JudgementArea.OVERALL
            ]
        )

    def standing(self) -> Standing | None:
        """Where the council stands today."""
        if self.council is None:
            return None
        return where_things_stand(self.events, dates.today(), self.council.ofsted_url)

    def theme_matches(self, theme: Theme) -> ThemeMatches:
        """The council's events on `theme`, and their findings on it (two queries)."""
        findings: dict[int, list[MatchingFinding]] = {}
        on_theme = Finding.objects.filter(event__authority=self.council, theme=theme)
        for finding in on_theme.select_related("theme").order_by("order", "pk"):
            findings.setdefault(finding.event_id, []).append(MatchingFinding.of(finding))
        figures = Figure.objects.filter(event__authority=self.council, theme=theme)
        return ThemeMatches(
            frozenset(findings) | frozenset(figures.values_list("event_id", flat=True)),
            {pk: tuple(shown) for pk, shown in findings.items()},
        )

    def events_by_pk(self, pks: list[int]) -> dict[int, Event]:
        wanted = set(pks)
        return {event.pk: event for event in self.events if event.pk in wanted}


def chosen_entries(
    request: HttpRequest, filters: CouncilTimelineFilters, history: CouncilHistory, per_page: int
) -> tuple[Pagination, list[TimelineEntry]]:
    """The page of the timeline's entries that the filters and `?page=` choose: from what
    is kept, or for a text search from the database."""
    if filters.active.get("q"):
        # A search shows the findings that made each event match: the database chooses
        # the events and those findings, since only it can say what its `icontains`
        # matches.
        pagination = paginate(request, filters.events(), per_page)
        return pagination, found_entries(request, list(pagination.page.object_list))
    key = history.council.pk if history.council else None
    rows = kept_fragment(request, f"timeline-rows:{key}", history.rows)
    on_theme = None
    if theme := filters.active.get("theme"):
        on_theme = kept_fragment(
            request, f"timeline-theme:{key}:{theme.pk}", lambda: history.theme_matches(theme)
        )
    pagination = paginate(request, matching(rows, filters, on_theme), per_page)
    page_rows = list(pagination.page.object_list)
    return pagination, kept_entries(request, page_rows, history, on_theme)


def matching(
    rows: list[TimelineRow],
    filters: CouncilTimelineFilters,
    on_theme: ThemeMatches | None = None,
) -> list[TimelineRow]:
    """The rows of the events that `filters.events()` would return, in order, given the
    events on the theme chosen (`on_theme`). Not for the text search (see `chosen_entries`)."""
    active = filters.active
    kind, area, grade = active.get("kind"), active.get("area"), active.get("grade")
    year_from, year_to = active.get("year_from"), active.get("year_to")

    def keeps(row: TimelineRow) -> bool:
        return (
            (not kind or row.kind == kind)
            and (
                not (area or grade)
                or any((not area or area == a) and (not grade or grade == g) for a, g in row.grades)
            )
            and row.within_years(year_from, year_to)
            and (on_theme is None or row.pk in on_theme.event_pks)
        )

    return [row for row in rows if keeps(row)]


def kept_entries(
    request: HttpRequest,
    rows: list[TimelineRow],
    history: CouncilHistory,
    on_theme: ThemeMatches | None = None,
) -> list[TimelineEntry]:
    """The timeline's entries of the kept `rows`, with their findings on the theme
    chosen: items not kept are drawn from `history`."""
    items = timeline_items(request, [row.pk for row in rows], history.events_by_pk)
    return [
        TimelineEntry(
            item,
            row_year_heading(row),
            row.year_is_stated,
            row.is_planned,
            on_theme.findings.get(row.pk, ()) if on_theme else (),
        )
        for row, item in zip(rows, items, strict=True)
    ]


def found_entries(request: HttpRequest, events: list[Event]) -> list[TimelineEntry]:
    """The timeline's entries of the `events` the database found, with their matching
    findings."""
    found = {event.pk: event for event in events}
    items = timeline_items(request, list(found), lambda _missing: found)
    return [
        TimelineEntry(
            item,
            event.year_heading,
            event.year_is_stated,
            event.is_planned,
            [MatchingFinding.of(finding) for finding in getattr(event, "matching_findings", ())],
        )
        for event, item in zip(events, items, strict=True)
    ]


def row_year_heading(row: TimelineRow) -> str:
    """As Event.year_heading."""
    return str(row.year) if row.year_is_stated else "Year not stated"


def timeline_items(
    request: HttpRequest,
    pks: list[int],
    events_by_pk: Callable[[list[int]], dict[int, Event]],
) -> list[SafeString]:
    """The drawn timeline item of each event in `pks`, in that order; those not kept are
    drawn from the events `events_by_pk` gives (with what Event.objects.for_timeline()
    reads)."""

    def draw(missing: list[int]) -> list[str]:
        template = get_template(ITEM_TEMPLATE)
        events = events_by_pk(missing)
        return [template.render({"event": events[pk]}) for pk in missing]

    return kept_pieces(request, [(("item", pk), pk) for pk in pks], draw)
