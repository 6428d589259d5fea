"""A council beside its ten statistical neighbours, its region and England.

Three comparisons, all on ILACS inspections (Ofsted's statistics hold every council's
since 2018, so every council is compared on the same footing):

- the latest grade per area (inspections/councils.py), with how many of the region's and
  England's councils are good or better in each area;
- each council's overall grades since 2018, year by year;
- how long each council judged inadequate took to climb out: from the first day on site
  of the inspection judged inadequate to the first later inspection judged better, in
  whole months, or "not yet". Consecutive inadequate judgements are one spell, counted
  from the first. A council judged inadequate before ILACS (under the SIF) is counted
  from its first ILACS inspection only.

compare() reads everything in five queries, however many councils there are.
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from . import dates
from .choices import AuthorityStatus, Closeness, DatePrecision, Grade, Region
from .councils import (
    Citations,
    CouncilGrades,
    GroupGrades,
    citations,
    group_grades,
    latest_grades,
)
from .models import Judgement, LocalAuthority, Source

FIRST_ILACS_YEAR = 2018
# Where the neighbours and regions come from: lookups, not records with a Source.
NEIGHBOURS_SOURCE = (
    "Statistical neighbours: the Department for Education's statistical neighbour "
    "groupings of April 2021, ten councils for each, closest first."
)
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


@dataclass(frozen=True)
class Neighbour:
    council: CouncilGrades
    rank: int
    closeness: Closeness


@dataclass(frozen=True)
class Inspection:
    """One ILACS inspection's overall judgement."""

    slug: str
    start: datetime.date
    precision: str
    grade: Grade
    source_id: int

    @property
    def url(self) -> str:
        return reverse("inspections:event", args=[self.slug])

    @property
    def when(self) -> str:
        return dates.describe(self.start, self.precision)

    @property
    def month(self) -> str:
        """'Mar', or '' when the source does not give the month."""
        known = self.precision in (DatePrecision.DAY, DatePrecision.MONTH)
        return f"{self.start:%b}" if known else ""


@dataclass(frozen=True)
class HistoryRow:
    council: CouncilGrades
    years: list[list[Inspection]]  # one list per year of Comparison.years

    @property
    def inspections(self) -> list[Inspection]:
        return [inspection for year in self.years for inspection in year]

    @property
    def source_ids(self) -> set[int]:
        """The sources of the council's grades on the page: latest and since 2018."""
        return self.council.source_ids | {i.source_id for i in self.inspections}


@dataclass(frozen=True)
class Climb:
    """A spell judged inadequate, and how it ended."""

    council: CouncilGrades
    inadequate: Inspection
    inadequate_again: int  # later inspections in the spell, also inadequate
    better: Inspection | None

    @property
    def months(self) -> int | None:
        return months_between(self.inadequate.start, self.better.start) if self.better else None


@dataclass(frozen=True)
class ClimbSummary:
    """The spells of a group of councils (a region, England)."""

    label: str
    months: list[int]  # of the spells that ended
    not_yet: int

    @property
    def median(self) -> float | None:
        return statistics.median(self.months) if self.months else None


@dataclass
class Comparison:
    council: CouncilGrades
    neighbours: list[Neighbour]
    groups: list[GroupGrades]
    years: list[int]
    history: list[HistoryRow]
    climbs: list[Climb]
    climb_summaries: list[ClimbSummary]
    citations: Citations

    @property
    def sources(self) -> list[Source]:
        return self.citations.sources

    @property
    def councils(self) -> list[CouncilGrades]:
        """The council, then its neighbours, closest first."""
        return [self.council, *(n.council for n in self.neighbours)]

    @property
    def relations(self) -> list[tuple[str, CouncilGrades]]:
        """(how it is compared, council): the council, then its neighbours."""
        return [("This council", self.council)] + [
            (f"Neighbour {n.rank}, {n.closeness.label.lower()}", n.council) for n in self.neighbours
        ]

    @property
    def any_judged_together(self) -> bool:
        """Whether a council shown was last inspected before children in care and care
        leavers were judged apart (2023): the page then says so."""
        return any(c.judged_together for c in self.councils)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end`: 4 March 2019 to 3 March 2020 is 11."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def climbs(council: CouncilGrades, inspections: list[Inspection]) -> list[Climb]:
    """The council's spells judged inadequate, oldest first (`inspections` oldest first)."""
    found, spell, again = [], None, 0
    for inspection in inspections:
        if inspection.grade == Grade.INADEQUATE:
            if spell is None:
                spell, again = inspection, 0
            else:
                again += 1
        elif spell is not None:
            found.append(Climb(council, spell, again, inspection))
            spell = None
    if spell is not None:
        found.append(Climb(council, spell, again, None))
    return found


def climb_summary(label: str, spells: Iterable[Climb]) -> ClimbSummary:
    spells = list(spells)
    return ClimbSummary(
        label=label,
        months=[c.months for c in spells if c.months is not None],
        not_yet=sum(c.better is None for c in spells),
    )


def ilacs_histories() -> dict[int, list[Inspection]]:
    """Every council's ILACS overall grades, oldest first, by the council's key."""
    inspections: dict[int, list[Inspection]] = {}
    history = Judgement.objects.ilacs_overall_history().values_list(
        "event__authority_id",
        "event__slug",
        "event__start_date",
        "event__start_date_precision",
        "grade",
        "source_id",
    )
    for authority_id, slug, start, precision, grade, source_id in history:
        inspections.setdefault(authority_id, []).append(
            Inspection(slug, start, precision, Grade(grade), source_id)
        )
    return inspections


def compare(
    authority: LocalAuthority,
    everyone: list[CouncilGrades] | None = None,
    inspections: dict[int, list[Inspection]] | None = None,
) -> Comparison:
    """`authority` beside its neighbours, its region and England, in five queries. Every
    council's latest grades (`latest_grades`, by name) and ILACS histories
    (`ilacs_histories`) may be given: the same for every council's comparison."""
    if everyone is None:
        everyone = latest_grades(LocalAuthority.objects.order_by("name"))
    if inspections is None:
        inspections = ilacs_histories()
    by_pk = {c.authority.pk: c for c in everyone}
    council = by_pk[authority.pk]
    neighbours = [
        Neighbour(by_pk[neighbour_id], rank, Closeness(closeness))
        for neighbour_id, rank, closeness in authority.statistical_neighbours.order_by(
            "rank"
        ).values_list("neighbour_id", "rank", "closeness")
    ]
    current = [c for c in everyone if c.authority.status == AuthorityStatus.CURRENT]
    region = authority.region
    in_region = [c for c in current if region and c.authority.region == region]
    groups = [group_grades("England", current)]
    if in_region:
        groups.insert(0, group_grades(Region(region).label, in_region))

    last_year = max(
        (i.start.year for found in inspections.values() for i in found),
        default=FIRST_ILACS_YEAR,
    )
    years = list(range(FIRST_ILACS_YEAR, max(last_year, FIRST_ILACS_YEAR) + 1))
    shown = [council, *(n.council for n in neighbours)]
    rows = []
    for row in shown:
        found = inspections.get(row.authority.pk, [])
        rows.append(HistoryRow(row, [[i for i in found if i.start.year == y] for y in years]))

    spells = {c.authority.pk: climbs(c, inspections.get(c.authority.pk, [])) for c in everyone}
    summaries = [climb_summary("England", (s for c in current for s in spells[c.authority.pk]))]
    if in_region:
        in_region_spells = (s for c in in_region for s in spells[c.authority.pk])
        summaries.insert(0, climb_summary(Region(region).label, in_region_spells))
    return Comparison(
        council=council,
        neighbours=neighbours,
        groups=groups,
        years=years,
        history=rows,
        climbs=[spell for c in shown for spell in spells[c.authority.pk]],
        climb_summaries=summaries,
        citations=citations(
            (
                c.source_ids | {i.source_id for i in inspections.get(c.authority.pk, [])}
                for c in everyone
            ),
            named=set().union(*(row.source_ids for row in rows)),
        ),
    )
