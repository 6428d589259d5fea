"""Recommendations followed through, as a council's page, print and CSV read them.

Tracked items (areas for improvement) joined by editors' links form *concerns*: the
connected chains of items that raise the same concern across inspections. Each concern's
steps are dated: the first item is raised on its event's first day; each later item of
the chain is the concern raised again on its event's first day; each status update is a
step on its own date. The concern's current status is its latest step.

Everything is read in four queries whatever the number of items (see `read_concerns`).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .. import dates
from ..choices import ConcernStatus, DatePrecision, FindingKind, SourceKind
from ..models import ConcernLink, Event, Finding, LocalAuthority, Source, StatusUpdate, Theme
from ..timeline.summaries import SourceNumbers

OFSTED_SOURCE_KINDS = frozenset({SourceKind.REPORT, SourceKind.STATISTICS})
# Steps on the same day: the item is raised before anything is said about it.
RAISING_FIRST, UPDATES_AFTER = 0, 1

STATUS_MEANINGS = [
    (ConcernStatus.RAISED, "the inspection or visit asked for it; nothing later is recorded."),
    (
        ConcernStatus.PROGRESS,
        "a later report, visit letter or council paper says things have moved on, "
        "but not that it is done.",
    ),
    (ConcernStatus.ADDRESSED, "a later source says the concern has been dealt with."),
    (
        ConcernStatus.RAISED_AGAIN,
        "a later inspection or visit raised the same concern again.",
    ),
]


class GridMark:
    """What a themes-against-inspections cell says, strongest first."""

    RECURRING = "Recurring"
    RAISED = "Raised"
    RESOLVED = "Resolved"
    STRENGTH = {RECURRING: 3, RAISED: 2, RESOLVED: 1}


@dataclass
class Step:
    """One dated point in a concern's story: an item raised, or a status update."""

    on: datetime.date
    on_display: str
    on_short: str
    status: ConcernStatus
    source: Source
    source_number: int
    item: Finding
    update: StatusUpdate | None = None
    order: tuple = ()

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass
class ChainItem:
    """A tracked item in its chain, with its own updates and what supports its link."""

    item: Finding
    reference: str
    source_number: int
    raised_again: bool
    links_from: list[tuple[ConcernLink, int]]
    links_to: list[ConcernLink]
    updates: list[Step]

    @property
    def own_status(self) -> Step | None:
        """The item's latest status update, or None (then it stands as raised)."""
        return self.updates[-1] if self.updates else None


@dataclass
class Concern:
    number: int
    chain: list[ChainItem]
    steps: list[Step]
    recurring: bool

    @property
    def first(self) -> Finding:
        return self.chain[0].item

    @property
    def theme(self) -> Theme:
        return self.first.theme

    @property
    def current(self) -> Step:
        return self.steps[-1]

    @property
    def raisings(self) -> list[tuple[str, bool]]:
        """When each event that raised an item of the concern began ('Oct 2015'), once,
        and whether it raised the concern again."""
        seen: dict[Event, bool] = {}
        for entry in self.chain:
            event = entry.item.event
            seen[event] = seen.get(event, False) or entry.raised_again
        return [
            (short_date(event.start_date, event.start_date_precision), again)
            for event, again in seen.items()
        ]

    @property
    def latest(self) -> Finding:
        """The concern in its most recent wording."""
        return self.chain[-1].item


@dataclass
class Grid:
    events: list[Event]
    rows: list[tuple[Theme, list[str]]] = field(default_factory=list)


@dataclass
class ConcernReading:
    concerns: list[Concern]
    grid: Grid
    sources: list[Source]

    @property
    def recurring_count(self) -> int:
        return sum(concern.recurring for concern in self.concerns)


def short_date(on: datetime.date, precision: str) -> str:
    """'Oct 2015': a date to the month at most, for a narrow printed column."""
    if precision == DatePrecision.MONTH_NO_YEAR:
        return f"{on:%b} (year not stated)"
    if precision == DatePrecision.DAY:
        precision = DatePrecision.MONTH
    return dates.describe(on, precision).replace(on.strftime("%B"), on.strftime("%b"))


def cites_ofsted(sources: list[Source]) -> bool:
    """Whether any source is Ofsted's (its reports and statistics are under the OGL)."""
    return any(source.kind in OFSTED_SOURCE_KINDS for source in sources)


def tracked_items(authority: LocalAuthority):
    """The authority's areas for improvement with what the page shows of each (two queries:
    the items with their event, theme and source; their updates with their sources)."""
    return (
        Finding.objects.filter(event__authority=authority, kind=FindingKind.IMPROVEMENT)
        .select_related("event", "theme", "source")
        .prefetch_related(
            Prefetch(
                "status_updates",
                StatusUpdate.objects.select_related("source").order_by("on", "pk"),
            )
        )
        .order_by("event__start_date", "event__pk", "order", "pk")
    )


def read_concerns(authority: LocalAuthority) -> ConcernReading:
    """The authority's concerns, numbered in the order first raised, and the themes grid."""
    items = list(tracked_items(authority))
    links = list(
        ConcernLink.objects.filter(earlier__event__authority=authority)
        .select_related("source")
        .order_by("pk")
    )
    by_pk = {item.pk: item for item in items}
    groups = connected(by_pk, links)
    numbers = SourceNumbers()
    concerns = [
        build_concern(number, members, links, numbers)
        for number, members in enumerate(groups, start=1)
    ]
    return ConcernReading(concerns, themes_grid(concerns), numbers.sources)


def connected(by_pk: dict[int, Finding], links: list[ConcernLink]) -> list[list[Finding]]:
    """The items grouped into chains joined by links, each in date order, chains in the
    order of their first item (`by_pk` is in date order)."""
    parent = {pk: pk for pk in by_pk}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for link in links:
        if link.earlier_id in parent and link.later_id in parent:
            parent[root(link.later_id)] = root(link.earlier_id)
    groups: dict[int, list[Finding]] = {}
    for pk, item in by_pk.items():
        groups.setdefault(root(pk), []).append(item)
    return list(groups.values())


def build_concern(
    number: int, members: list[Finding], links: list[ConcernLink], numbers: SourceNumbers
) -> Concern:
    member_pks = {item.pk for item in members}
    earlier_of: dict[int, list[ConcernLink]] = {}
    later_of: dict[int, list[ConcernLink]] = {}
    for link in links:
        if link.later_id in member_pks:
            earlier_of.setdefault(link.later_id, []).append(link)
            later_of.setdefault(link.earlier_id, []).append(link)
    chain, steps = [], []
    for position, item in enumerate(members):
        # Raised again: linked to an earlier item (one of the same day is raised alongside).
        raised_again = item.pk in earlier_of
        item_number = numbers.cite(item.source)
        event = item.event
        raising = Step(
            on=event.start_date,
            on_display=dates.describe(
                event.start_date, event.start_date_precision, event.start_date_approximate
            ),
            on_short=short_date(event.start_date, event.start_date_precision),
            status=ConcernStatus.RAISED_AGAIN if raised_again else ConcernStatus.RAISED,
            source=item.source,
            source_number=item_number,
            item=item,
            order=(item.event.start_date, RAISING_FIRST, item.pk),
        )
        updates = [
            Step(
                on=update.on,
                on_display=update.on_display,
                on_short=short_date(update.on, update.on_precision),
                status=ConcernStatus(update.status),
                source=update.source,
                source_number=numbers.cite(update.source),
                item=item,
                update=update,
                order=(update.on, UPDATES_AFTER, update.pk),
            )
            for update in item.status_updates.all()
        ]
        chain.append(
            ChainItem(
                item=item,
                reference=f"{number}.{position + 1}",
                source_number=item_number,
                raised_again=raised_again,
                links_from=[
                    (link, numbers.cite(link.source)) for link in earlier_of.get(item.pk, [])
                ],
                links_to=later_of.get(item.pk, []),
                updates=updates,
            )
        )
        steps += [raising, *updates]
    steps.sort(key=lambda step: step.order)
    recurring = len({item.event_id for item in members}) > 1 or any(
        step.status == ConcernStatus.RAISED_AGAIN for step in steps if step.update
    )
    return Concern(number=number, chain=chain, steps=steps, recurring=recurring)


def themes_grid(concerns: list[Concern]) -> Grid:
    """Themes down, the inspections and visits that raised items across, oldest first.

    A cell is "Recurring" where an item of the theme raised there repeats an earlier
    concern (or an update in that period says it was raised again), "Raised" where the
    theme's item was new, "Resolved" where an update in that period says one of the
    theme's concerns was addressed; blank otherwise. A period runs from one column's first
    day to the next's.
    """
    events = sorted(
        {item.item.event for concern in concerns for item in concern.chain},
        key=lambda event: (event.start_date, event.pk),
    )
    starts = [event.start_date for event in events]

    def column(on: datetime.date) -> int:
        index = 0
        for position, start in enumerate(starts):
            if start <= on:
                index = position
        return index

    marks: dict[Theme, list[str]] = {}
    for concern in concerns:
        for step in concern.steps:
            theme = step.item.theme
            cells = marks.setdefault(theme, [""] * len(events))
            if step.update is None:
                index = events.index(step.item.event)
                mark = (
                    GridMark.RECURRING
                    if step.status == ConcernStatus.RAISED_AGAIN
                    else GridMark.RAISED
                )
            elif step.status == ConcernStatus.ADDRESSED:
                index, mark = column(step.on), GridMark.RESOLVED
            elif step.status == ConcernStatus.RAISED_AGAIN:
                index, mark = column(step.on), GridMark.RECURRING
            else:
                continue
            if GridMark.STRENGTH.get(mark, 0) > GridMark.STRENGTH.get(cells[index], 0):
                cells[index] = mark
    rows = sorted(marks.items(), key=lambda row: row[0].name)
    return Grid(events=events, rows=rows)
