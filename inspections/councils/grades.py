"""Every council's latest grades, and how they spread over England and its regions.

"Latest grade per area" is the judgements of a council's latest graded ILACS inspection
(Event.objects.graded_ilacs()). This module is the one place that reads them, in two
queries whatever the number of councils: the councils, each with the primary key of
that inspection (LocalAuthority.objects.with_latest_inspection()), then those
inspections' judgements.

Before January 2023 ILACS judged children in care and care leavers together: a council
last inspected before then has that one combined judgement, and the tables show it
across both columns rather than inventing two grades.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse

from .. import dates
from ..choices import Grade, JudgementArea, Region
from ..models import Judgement, LocalAuthority, Source

COMBINED = JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS
SPLIT_IN_2023 = (JudgementArea.CHILDREN_IN_CARE, JudgementArea.CARE_LEAVERS)
# The columns of a table of latest grades, in a report's order.
TABLE_AREAS = [
    JudgementArea.OVERALL,
    JudgementArea.HELP_AND_PROTECTION,
    JudgementArea.CHILDREN_IN_CARE,
    JudgementArea.CARE_LEAVERS,
    JudgementArea.LEADERSHIP,
]
GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


@dataclass(frozen=True)
class GradeCell:
    """One cell of a table of latest grades: a grade, or none, spanning `colspan` columns."""

    grade: Grade | None
    colspan: int = 1
    combined: bool = False  # the pre-2023 judgement of children in care and care leavers


@dataclass
class CouncilGrades:
    """A council with the judgements of its latest graded ILACS inspection."""

    authority: LocalAuthority
    inspection_slug: str = ""
    inspected_on: datetime.date | None = None
    inspected_precision: str = ""
    grades: dict[str, Grade] = field(default_factory=dict)
    source_ids: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.authority.name

    @property
    def inspected_display(self) -> str:
        if self.inspected_on is None:
            return ""
        return dates.describe(self.inspected_on, self.inspected_precision)

    @property
    def inspection_url(self) -> str:
        return reverse("inspections:event", args=[self.inspection_slug])

    @property
    def overall(self) -> Grade | None:
        return self.grades.get(JudgementArea.OVERALL)

    @property
    def judged_together(self) -> bool:
        """Whether the latest inspection judged children in care and care leavers as one."""
        return COMBINED in self.grades and not any(a in self.grades for a in SPLIT_IN_2023)

    def grade_for(self, area: str) -> Grade | None:
        """The grade in `area`; for children in care or care leavers, the combined
        judgement where the inspection gave only that."""
        if area in SPLIT_IN_2023 and self.judged_together:
            return self.grades[COMBINED]
        return self.grades.get(area)

    @property
    def cells(self) -> list[GradeCell]:
        """The grades under TABLE_AREAS, the combined judgement spanning its two columns."""
        cells = []
        for area in TABLE_AREAS:
            if area in SPLIT_IN_2023 and self.judged_together:
                if area == SPLIT_IN_2023[0]:
                    cells.append(GradeCell(self.grades[COMBINED], colspan=2, combined=True))
                continue
            cells.append(GradeCell(self.grades.get(area)))
        return cells


def latest_grades(authorities: QuerySet[LocalAuthority]) -> list[CouncilGrades]:
    """Each of `authorities` (in their order) with its latest grades: two queries."""
    councils = [CouncilGrades(a) for a in authorities.with_latest_inspection()]
    by_inspection = {
        c.authority.latest_inspection_pk: c for c in councils if c.authority.latest_inspection_pk
    }
    judgements = Judgement.objects.filter(event_id__in=list(by_inspection)).values_list(
        "event_id",
        "event__slug",
        "event__start_date",
        "event__start_date_precision",
        "area",
        "grade",
        "source_id",
    )
    for event_id, slug, start, precision, area, grade, source_id in judgements:
        council = by_inspection[event_id]
        council.inspection_slug, council.inspected_on = slug, start
        council.inspected_precision = precision
        council.grades[area] = Grade(grade)
        council.source_ids.add(source_id)
    return councils


@dataclass(frozen=True)
class SpreadRow:
    """How many councils of one place have each overall grade."""

    label: str
    counts: dict[Grade, int]  # every grade, best first
    not_inspected: int

    @property
    def inspected(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.inspected + self.not_inspected

    def percent(self, grade: Grade) -> int:
        """The share of the inspected councils with `grade`, in whole per cent."""
        return round(100 * self.counts[grade] / self.inspected) if self.inspected else 0


def _spread_row(label: str, councils: list[CouncilGrades]) -> SpreadRow:
    found = Counter(c.overall for c in councils)
    return SpreadRow(
        label=label,
        counts={grade: found[grade] for grade in Grade},
        not_inspected=found[None],
    )


def grade_spread(councils: list[CouncilGrades]) -> list[SpreadRow]:
    """The latest overall grades of `councils` in England, then in each region that has
    councils, in Region's order."""
    by_region: dict[str, list[CouncilGrades]] = {}
    for council in councils:
        by_region.setdefault(council.authority.region, []).append(council)
    rows = [_spread_row("England", councils)]
    rows += [_spread_row(r.label, by_region[r.value]) for r in Region if r.value in by_region]
    return rows


@dataclass(frozen=True)
class GoodOrBetter:
    """How many of a group's councils are good or outstanding in one area."""

    count: int
    judged: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.judged) if self.judged else 0


@dataclass(frozen=True)
class GroupGrades:
    """A group of councils (a region, England) under the columns of TABLE_AREAS."""

    label: str
    councils: int
    cells: list[GoodOrBetter]


def group_grades(label: str, councils: list[CouncilGrades]) -> GroupGrades:
    """How many of `councils` are good or better in each area, counting a council judged
    before 2023 with its combined judgement in both the children in care and the care
    leavers columns."""
    cells = []
    for area in TABLE_AREAS:
        grades = [g for c in councils if (g := c.grade_for(area)) is not None]
        cells.append(GoodOrBetter(sum(g in GOOD_OR_BETTER for g in grades), len(grades)))
    return GroupGrades(label=label, councils=len(councils), cells=cells)


@dataclass(frozen=True)
class Citations:
    """The sources of the grades a page shows: those it names, and how many others."""

    sources: list[Source]
    others: int  # each cited by one council's grades only: that council's page names it


def citations(cited: Iterable[set[int]], named: set[int] | frozenset = frozenset()) -> Citations:
    """The sources cited by more than one council's grades, and those in `named` (the
    councils a page shows row by row), in one query. `cited` holds each council's sources.

    Ofsted's statistics give every council's grades, so one source serves them all; a
    source that a single council's grades cite (an article) is named on that council's
    own page, and counted here, so that a page about every council stays small.
    """
    shared, single = sources_cited(cited)
    shown = shared | set(named)
    sources = Source.objects.filter(pk__in=shown).order_by("published_on", "title")
    return Citations(list(sources), len(single - shown))


def sources_cited(cited: Iterable[set[int]]) -> tuple[frozenset[int], frozenset[int]]:
    """The sources cited by more than one council's grades, and those cited by one only.
    `cited` holds each council's sources."""
    councils_citing = Counter(pk for source_ids in cited for pk in source_ids)
    shared = frozenset(pk for pk, councils in councils_citing.items() if councils > 1)
    return shared, frozenset(councils_citing.keys() - shared)
