"""A council's timeline kept under the data version (issue 16), so that an address
nobody has asked for since the last change (another filter combination, another page) is
chosen and drawn from what each worker already holds: no query but the data version's,
once its events have been drawn for any address.

- `timeline_rows`: what the filters look at, of every event of a council, as plain
  values, oldest first. `matching` narrows them as `TimelineFilters.events()` narrows
  the QuerySet (tests/test_kept_timeline.py runs the filters through both); only the
  free-text search still asks the database, whose `icontains` it must agree with.
- `timeline_items`: each event's rendered item, kept by event, drawn in one query for
  those not yet kept.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString

from .filters import CouncilTimelineFilters
from .fragments import kept_pieces
from .models import Event, Figure, Finding, Judgement, LocalAuthority

ITEM_TEMPLATE = "inspections/partials/timeline_item.html"


@dataclass(frozen=True)
class TimelineRow:
    """Of one event, what the timeline's filters look at."""

    pk: int
    kind: str
    year: int
    grades: frozenset[tuple[str, str]]  # (area, grade) of each judgement
    theme_ids: frozenset[int]  # themes of its findings and figures


def timeline_rows(council: LocalAuthority | None) -> list[TimelineRow]:
    """Every event of `council`, oldest first (as EventQuerySet.chronological())."""
    if council is None:
        return []
    events = list(
        Event.objects.filter(authority=council)
        .chronological()
        .values_list("pk", "kind", "start_date")
    )
    grades: dict[int, set[tuple[str, str]]] = {pk: set() for pk, _kind, _start in events}
    themes: dict[int, set[int]] = {pk: set() for pk, _kind, _start in events}
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
        TimelineRow(pk, kind, start.year, frozenset(grades[pk]), frozenset(themes[pk]))
        for pk, kind, start in events
    ]


def matching(rows: list[TimelineRow], filters: CouncilTimelineFilters) -> list[int]:
    """The primary keys of the rows that `filters.events()` would return, in order."""
    if not filters.is_bound:
        return [row.pk for row in rows]
    filters.is_valid()
    active = filters.active
    kind, area, grade = active.get("kind"), active.get("area"), active.get("grade")
    theme, year_from, year_to = active.get("theme"), active.get("year_from"), active.get("year_to")
    searched = None
    if active.get("q"):
        searched = set(filters.events(Event.objects.all()).values_list("pk", flat=True))

    def keeps(row: TimelineRow) -> bool:
        return (
            (not kind or row.kind == kind)
            and (
                not (area or grade)
                or any((not area or area == a) and (not grade or grade == g) for a, g in row.grades)
            )
            and (not theme or theme.pk in row.theme_ids)
            and (not year_from or row.year >= year_from)
            and (not year_to or row.year <= year_to)
            and (searched is None or row.pk in searched)
        )

    return [row.pk for row in rows if keeps(row)]


def timeline_items(request: HttpRequest, pks: list[int]) -> list[SafeString]:
    """The drawn timeline item of each event in `pks`, in that order."""

    def draw(missing: list[int]) -> list[str]:
        template = get_template(ITEM_TEMPLATE)
        events = Event.objects.for_timeline().in_bulk(missing)
        return [template.render({"event": events[pk]}) for pk in missing]

    return kept_pieces(request, [(("item", pk), pk) for pk in pks], draw)
