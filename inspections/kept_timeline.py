"""A council's timeline kept under the data version (issue 16), so that an address
nobody has asked for since the last change (another filter combination, another page) is
chosen and drawn from what each worker already holds: no query but the data version's,
once its events have been drawn for any address.

- `timeline_rows`: what the filters look at, of every event of a council, as plain
  values, oldest first. `matching` narrows them as `TimelineFilters.events()` narrows
  the QuerySet (tests/test_kept_timeline.py runs the filters through both). The theme
  and free-text filters are left to the database (`shows_findings`): the page then shows,
  under each event, the findings that made it match.
- `timeline_items`: each event's rendered item, kept by event, drawn in one query for
  those not yet kept.
- `TimelineEntry`: what the timeline's loop shows of one event, from a kept row or from
  an event the database found.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString

from .choices import DatePrecision, EventStatus
from .filters import CouncilTimelineFilters
from .fragments import kept_pieces
from .models import Event, Figure, Finding, Judgement, LocalAuthority

ITEM_TEMPLATE = "inspections/partials/timeline_item.html"


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
    theme_ids: frozenset[int]  # themes of its findings and figures

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
class TimelineEntry:
    """What the timeline shows of one event: its drawn item, the heading of the year it
    is filed under, and the findings that made it match the theme or text filters."""

    item: str
    year_heading: str
    year_is_stated: bool
    is_planned: bool
    matching_findings: Sequence[Finding] = field(default=())


def timeline_rows(council: LocalAuthority | None) -> list[TimelineRow]:
    """Every event of `council`, oldest first (as EventQuerySet.chronological())."""
    if council is None:
        return []
    events = list(
        Event.objects.filter(authority=council)
        .chronological()
        .values_list("pk", "kind", "start_date", "start_date_precision", "earliest_year", "status")
    )
    grades: dict[int, set[tuple[str, str]]] = {pk: set() for pk, *_rest in events}
    themes: dict[int, set[int]] = {pk: set() for pk, *_rest in events}
    judgements = Judgement.objects.filter(event__authority=council).order_by()
    for event_id, area, grade in judgements.values_list("event_id", "area", "grade"):
        grades[event_id].add((area, grade))
    findings, figures = (
        model.objects.filter(event__authority=council)
        .order_by()
        .values_list("event_id", "theme_id")
        for model in (Finding, Figure)
    )
    for event_id, theme_id in findings.union(figures):
        themes[event_id].add(theme_id)
    return [
        TimelineRow(
            pk,
            kind,
            start.year,
            year_is_stated=precision != DatePrecision.MONTH_NO_YEAR,
            earliest_year=earliest,
            is_planned=status == EventStatus.PLANNED,
            grades=frozenset(grades[pk]),
            theme_ids=frozenset(themes[pk]),
        )
        for pk, kind, start, precision, earliest, status in events
    ]


def shows_findings(filters: CouncilTimelineFilters) -> bool:
    """Whether the page shows, under each event, the findings that made it match: then
    the database chooses the events (and those findings) rather than the kept rows."""
    if not filters.is_bound:
        return False
    filters.is_valid()
    return bool(filters.active.get("theme") or filters.active.get("q"))


def matching(rows: list[TimelineRow], filters: CouncilTimelineFilters) -> list[int]:
    """The rows of the events that `filters.events()` would return, in order. Not for the
    text search, which only the database can do (see `shows_findings`)."""
    if not filters.is_bound:
        return list(rows)
    filters.is_valid()
    active = filters.active
    kind, area, grade = active.get("kind"), active.get("area"), active.get("grade")
    theme, year_from, year_to = active.get("theme"), active.get("year_from"), active.get("year_to")

    def keeps(row: TimelineRow) -> bool:
        return (
            (not kind or row.kind == kind)
            and (
                not (area or grade)
                or any((not area or area == a) and (not grade or grade == g) for a, g in row.grades)
            )
            and (not theme or theme.pk in row.theme_ids)
            and row.within_years(year_from, year_to)
        )

    return [row for row in rows if keeps(row)]


def kept_entries(request: HttpRequest, rows: list[TimelineRow]) -> list[TimelineEntry]:
    """The timeline's entries of the kept `rows`."""
    items = timeline_items(request, [row.pk for row in rows])
    return [
        TimelineEntry(item, row_year_heading(row), row.year_is_stated, row.is_planned)
        for row, item in zip(rows, items, strict=True)
    ]


def found_entries(request: HttpRequest, events: list[Event]) -> list[TimelineEntry]:
    """The timeline's entries of the `events` the database found, with their matching
    findings."""
    items = timeline_items(request, [event.pk for event in events])
    return [
        TimelineEntry(
            item,
            event.year_heading,
            event.year_is_stated,
            event.is_planned,
            getattr(event, "matching_findings", ()),
        )
        for event, item in zip(events, items, strict=True)
    ]


def row_year_heading(row: TimelineRow) -> str:
    """As Event.year_heading."""
    return str(row.year) if row.year_is_stated else "Year not stated"


def timeline_items(request: HttpRequest, pks: list[int]) -> list[SafeString]:
    """The drawn timeline item of each event in `pks`, in that order."""

    def draw(missing: list[int]) -> list[str]:
        template = get_template(ITEM_TEMPLATE)
        events = Event.objects.for_timeline().in_bulk(missing)
        return [template.render({"event": events[pk]}) for pk in missing]

    return kept_pieces(request, [(("item", pk), pk) for pk in pks], draw)
