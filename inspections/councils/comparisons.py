"""A council beside its ten statistical neighbours, its region and England.

Three comparisons, all on ILACS inspections (Ofsted's statistics hold every council's
since 2018, so every council is compared on the same footing):

- the latest grade per area (inspections/councils/grades.py), with how many of the region's and
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

from .. import dates
from ..choices import AuthorityStatus, Closeness, DatePrecision, Grade, Region
from ..models import Judgement, LocalAuthority, Source, StatisticalNeighbour
from .grades import (
    Citations,
    CouncilGrades,
    GroupGrades,
    group_grades,
    latest_grades,
    sources_cited,
)

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
class ComparedInspection:
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
class ComparisonHistoryRow:
    council: CouncilGrades
    years: list[list[ComparedInspection]]  # one list per year of Comparison.years

    @property
    def inspections(self) -> list[ComparedInspection]:
        return [inspection for year in self.years for inspection in year]

    @property
    def source_ids(self) -> set[int]:
        """The sources of the council's grades on the page: latest and since 2018."""
        return self.council.source_ids | {i.source_id for i in self.inspections}


@dataclass(frozen=True)
class Climb:
    """A spell judged inadequate, and how it ended."""

    council: CouncilGrades
    inadequate: ComparedInspection
    inadequate_again: int  # later inspections in the spell, also inadequate
    better: ComparedInspection | None

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
    history: list[ComparisonHistoryRow]
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


def climbs(council: CouncilGrades, inspections: list[ComparedInspection]) -> list[Climb]:
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


def ilacs_histories() -> dict[int, list[ComparedInspection]]:
    """Every council's ILACS overall grades, oldest first, by the council's key."""
    inspections: dict[int, list[ComparedInspection]] = {}
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
            ComparedInspection(slug, start, precision, Grade(grade), source_id)
        )
    return inspections


@dataclass(frozen=True)
class CouncilRecord:
    """What a comparison shows of one council, wherever it shows it: kept per council,
    so that a comparison reads its own council's and its neighbours' alone."""

    grades: CouncilGrades
    inspections: list[ComparedInspection]  # ILACS overall grades, oldest first
    spells: list[Climb]
    neighbours: list[tuple[int, int, str]]  # (neighbour's key, rank, closeness), closest first
    own_sources: list[Source]  # those no other council's grades cite, in no order


@dataclass(frozen=True)
class Basis:
    """What every council's comparison shares: the years, each region's and England's
    figures (by region, "" for England), the sources more than one council's grades cite
    (every page names them), the others, and every source's place in a page's list of
    sources (by date and title)."""

    years: list[int]
    groups: dict[str, GroupGrades]
    climb_summaries: dict[str, ClimbSummary]
    shared_sources: list[Source]
    single_sources: frozenset[int]
    source_order: dict[int, int]


def statistical_neighbours() -> dict[int, list[tuple[int, int, str]]]:
    """Every council's neighbours, closest first, by the council's key: one query."""
    found: dict[int, list[tuple[int, int, str]]] = {}
    rows = StatisticalNeighbour.objects.order_by("authority_id", "rank").values_list(
        "authority_id", "neighbour_id", "rank", "closeness"
    )
    for authority_id, neighbour_id, rank, closeness in rows:
        found.setdefault(authority_id, []).append((neighbour_id, rank, closeness))
    return found


def comparison_basis(
    everyone: list[CouncilGrades],
    inspections: dict[int, list[ComparedInspection]],
    neighbours: dict[int, list[tuple[int, int, str]]],
) -> tuple[Basis, dict[int, CouncilRecord]]:
    """What every comparison shares, and each council's record by its key, from every
    council's latest grades (`latest_grades`), ILACS histories (`ilacs_histories`) and
    neighbours (`statistical_neighbours`), and the sources they cite: one query."""
    cited = {
        c.authority.pk: c.source_ids | {i.source_id for i in inspections.get(c.authority.pk, [])}
        for c in everyone
    }
    shared, single = sources_cited(cited.values())
    # In the order a page lists them; the key last, so that sources of the same date and
    # title come in the same order on every page.
    sources = list(
        Source.objects.filter(pk__in=shared | single).order_by("published_on", "title", "pk")
    )
    by_pk = {source.pk: source for source in sources}
    records = {}
    for c in everyone:
        found = inspections.get(c.authority.pk, [])
        records[c.authority.pk] = CouncilRecord(
            c,
            found,
            climbs(c, found),
            neighbours.get(c.authority.pk, []),
            [by_pk[pk] for pk in cited[c.authority.pk] & single],
        )
    current = [c for c in everyone if c.authority.status == AuthorityStatus.CURRENT]
    by_region: dict[str, list[CouncilGrades]] = {}
    for c in current:
        if c.authority.region:
            by_region.setdefault(c.authority.region, []).append(c)
    groups = {"": group_grades("England", current)}
    summaries = {
        "": climb_summary("England", (s for c in current for s in records[c.authority.pk].spells))
    }
    for region, in_region in by_region.items():
        label = Region(region).label
        groups[region] = group_grades(label, in_region)
        spells = (s for c in in_region for s in records[c.authority.pk].spells)
        summaries[region] = climb_summary(label, spells)
    last_year = max(
        (i.start.year for found in inspections.values() for i in found),
        default=FIRST_ILACS_YEAR,
    )
    basis = Basis(
        years=list(range(FIRST_ILACS_YEAR, max(last_year, FIRST_ILACS_YEAR) + 1)),
        groups=groups,
        climb_summaries=summaries,
        shared_sources=[source for source in sources if source.pk in shared],
        single_sources=single,
        source_order={source.pk: place for place, source in enumerate(sources)},
    )
    return basis, records


def compare_with(
    authority: LocalAuthority, basis: Basis, records: dict[int, CouncilRecord]
) -> Comparison:
    """`authority` beside its neighbours, its region and England, from comparison_basis()
    (`records` need hold only the council's and its neighbours'), with no query."""
    own = records[authority.pk]
    neighbours = [
        Neighbour(records[neighbour_id].grades, rank, Closeness(closeness))
        for neighbour_id, rank, closeness in own.neighbours
    ]
    region = authority.region
    groups = [basis.groups[""]]
    summaries = [basis.climb_summaries[""]]
    if region and region in basis.groups:
        groups.insert(0, basis.groups[region])
        summaries.insert(0, basis.climb_summaries[region])
    shown = [own, *(records[neighbour_id] for neighbour_id, _rank, _c in own.neighbours)]
    rows = [
        ComparisonHistoryRow(
            r.grades, [[i for i in r.inspections if i.start.year == y] for y in basis.years]
        )
        for r in shown
    ]
    return Comparison(
        council=own.grades,
        neighbours=neighbours,
        groups=groups,
        years=basis.years,
        history=rows,
        climbs=[spell for r in shown for spell in r.spells],
        climb_summaries=summaries,
        citations=named_citations(basis, shown, set().union(*(row.source_ids for row in rows))),
    )


def named_citations(basis: Basis, shown: list[CouncilRecord], named: set[int]) -> Citations:
    """citations() of every council's sources, naming those in `named` (of the councils
    `shown`), from what comparison_basis() kept."""
    own = [source for record in shown for source in record.own_sources if source.pk in named]
    sources = {source.pk: source for source in [*basis.shared_sources, *own]}
    return Citations(
        sorted(sources.values(), key=lambda source: basis.source_order[source.pk]),
        len(basis.single_sources - named),
    )


def compare(
    authority: LocalAuthority,
    everyone: list[CouncilGrades] | None = None,
    inspections: dict[int, list[ComparedInspection]] | None = None,
) -> Comparison:
    """`authority` beside its neighbours, its region and England, in five queries. Every
    council's latest grades (`latest_grades`, by name) and ILACS histories
    (`ilacs_histories`) may be given: the same for every council's comparison."""
    if everyone is None:
        everyone = latest_grades(LocalAuthority.objects.order_by("name"))
    if inspections is None:
        inspections = ilacs_histories()
    basis, records = comparison_basis(everyone, inspections, statistical_neighbours())
    return compare_with(authority, basis, records)
