"""Synthetic but realistic inspection histories for many local authorities.

Every authority gets 15 years of children's services history shaped like the real ones:
a Single Inspection Framework inspection, then ILACS standard inspections about every
three years (short ones for authorities judged good or better), focused visits in
between, and, after an "inadequate", monitoring visits every few months, a DfE
statutory direction and an improvement board, until a re-inspection. Every event has
sources, inspections have a judgement per area, and Ofsted visits have findings on the
shared themes, figures and statements.

The names are plainly not real ("Synthetic County 001", "Synthetic person 001-2") so that
nobody mistakes the data for facts. The output is the same for the same seed. Used by
the tests and by the benchmark (bench/generate.py is its command line).
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from inspections.choices import (
    FRAMEWORK_AREAS,
    Closeness,
    DatePrecision,
    EventKind,
    EventStatus,
    FigureQualifier,
    FigureUnit,
    FindingKind,
    Framework,
    Grade,
    InspectionType,
    Region,
    SourceKind,
)
from inspections.models import (
    Event,
    EventSource,
    Figure,
    Finding,
    Judgement,
    LocalAuthority,
    Person,
    Source,
    Statement,
    StatisticalNeighbour,
    Theme,
)
from ofsted_tracker.http_cache import bump_data_version

ENGLISH_AUTHORITIES = 153  # upper-tier councils with children's services in England
YEARS = 15
LAST_YEAR = 2025
AUTHORITY_KINDS = ("County", "Borough", "City", "Metropolitan Borough", "District")

THEMES = [
    ("care-leavers", "Care leavers"),
    ("children-in-care", "Children in care"),
    ("child-protection", "Child protection"),
    ("front-door", "Front door and early help"),
    ("workforce", "Social work workforce"),
    ("caseloads", "Caseloads"),
    ("leadership", "Leadership and governance"),
    ("placements", "Placement sufficiency"),
    ("exploitation", "Exploitation and missing children"),
    ("disabled-children", "Disabled children"),
    ("quality-assurance", "Quality assurance and audit"),
    ("partnerships", "Partnership working"),
]

STRENGTHS = [
    "Social workers know the children they work with well and visit them regularly.",
    "Leaders have a clear and accurate understanding of the quality of practice.",
    "Children's views are recorded and inform their plans.",
    "Managers provide regular, reflective supervision.",
    "Partners share information quickly when children are at risk.",
    "Care leavers are supported into education, employment and training.",
    "Placement stability has improved for children in care.",
    "Audits are used well to improve practice.",
]
IMPROVEMENTS = [
    "Too many children wait too long for an assessment of their needs.",
    "Plans are not specific enough about what needs to change for children.",
    "Caseloads remain too high in some teams.",
    "The quality of management oversight is inconsistent.",
    "Some care leavers do not have up-to-date pathway plans.",
    "Return home interviews are not always offered to children who go missing.",
    "Reliance on agency social workers limits consistency for children.",
    "Strategy meetings do not always include all relevant partners.",
]
ACTIONS = [
    "The council recruited additional permanent social workers.",
    "A new quality assurance framework was introduced.",
    "The council invested in more local foster placements.",
    "A dedicated team for care leavers was created.",
    "Training on assessment and planning was delivered to all teams.",
    "An improvement board with independent chair began meeting monthly.",
]
FIGURES = [
    ("Share of care leavers in education, employment or training", FigureUnit.PERCENT, 40, 70),
    ("Social worker vacancy rate", FigureUnit.PERCENT, 8, 35),
    ("Children in care", FigureUnit.COUNT, 300, 1200),
    ("Average caseload per social worker", FigureUnit.COUNT, 14, 28),
    ("Additional investment in children's services", FigureUnit.POUNDS, 1_000_000, 12_000_000),
    ("Referrals to children's social care in the year", FigureUnit.COUNT, 3000, 12000),
]
ROLES = [
    "Director of Children's Services",
    "Cabinet Member for Children and Young People",
    "Leader of the Council",
    "Chair of the Improvement Board",
]
GRADES = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
REGIONS = list(Region)
NEIGHBOURS = 10


@dataclass
class Batch:
    """Rows to insert with bulk_create, in an order that satisfies the foreign keys."""

    sources: list = field(default_factory=list)
    people: list = field(default_factory=list)
    events: list = field(default_factory=list)
    event_sources: list = field(default_factory=list)
    judgements: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    statements: list = field(default_factory=list)


class AuthorityHistory:
    """One authority's 15 years, built in memory."""

    def __init__(
        self,
        number: int,
        rng: random.Random,
        themes: list[Theme],
        batch: Batch,
        with_facts: bool = True,
    ):
        self.number = number
        self.with_facts = with_facts
        self.rng = rng
        self.themes = themes
        self.batch = batch
        kind = AUTHORITY_KINDS[number % len(AUTHORITY_KINDS)]
        self.authority = LocalAuthority(
            name=f"Synthetic {kind} {number:03d}",
            slug=f"synthetic-{number:03d}",
            region=REGIONS[number % len(REGIONS)],
        )
        self.people = [
            Person(name=f"Synthetic person {number:03d}-{i}") for i in range(1, len(ROLES) + 1)
        ]
        batch.people.extend(self.people)
        self.events: list[Event] = []
        self.source_count = 0
        self.monitoring_visits = 0

    # Building blocks -------------------------------------------------------------------

    def source(self, when: datetime.date, kind: str) -> Source:
        self.source_count += 1
        n = self.source_count
        titles = {
            SourceKind.REPORT: "Ofsted report",
            SourceKind.NEWS: "Local news report",
            SourceKind.PRESS_RELEASE: "Council press release",
            SourceKind.BRIEFING: "Council briefing",
        }
        source = Source(
            seed_file=f"synthetic/{self.authority.slug}/{n:03d}.txt",
            title=f"{titles[kind]} on {self.authority.name}, {when:%B %Y} (synthetic)",
            kind=kind,
            publisher="Synthetic data generator",
            published_on=when,
        )
        self.batch.sources.append(source)
        return source

    def event(self, kind: str, start: datetime.date, title: str, summary: str, **fields) -> Event:
        number = len(self.events) + 1
        end = fields.pop("end_date", None)
        published = fields.pop("published_on", None)
        month_only = fields.pop("month_only", False)
        event = Event(
            authority=self.authority,
            kind=kind,
            title=title,
            slug=f"{self.authority.slug}-{start:%Y-%m}-{number:02d}",
            summary=summary[:300],
            start_date=start.replace(day=1) if month_only else start,
            start_date_precision=DatePrecision.MONTH if month_only else DatePrecision.DAY,
            end_date=end,
            published_on=published,
            **fields,
        )
        self.events.append(event)
        self.batch.events.append(event)
        sources = [self.source(published or end or start, SourceKind.REPORT)]
        if self.rng.random() < 0.6:
            sources.append(self.source(published or end or start, SourceKind.NEWS))
        for source in sources:
            self.batch.event_sources.append(
                EventSource(event=event, source=source, contribution="Dates and outcome.")
            )
        event._synthetic_sources = sources
        return event

    def facts(self, event: Event, grade: str | None) -> None:
        """Findings, figures and statements for an Ofsted visit."""
        if not self.with_facts:
            return
        rng, source = self.rng, event._synthetic_sources[0]
        weak = grade in (Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT)
        kinds = [
            (FindingKind.STRENGTH, STRENGTHS, 2 if weak else 4),
            (FindingKind.IMPROVEMENT, IMPROVEMENTS, 4 if weak else 2),
            (FindingKind.ACTION, ACTIONS, 1),
        ]
        order = 0
        for kind, texts, count in kinds:
            for text in rng.sample(texts, count):
                order += 1
                self.batch.findings.append(
                    Finding(
                        event=event,
                        kind=kind,
                        text=text,
                        theme=rng.choice(self.themes),
                        source=source,
                        order=order,
                    )
                )
        for order, (label, unit, low, high) in enumerate(rng.sample(FIGURES, 2), start=1):
            value = Decimal(rng.randint(low, high))
            self.batch.figures.append(
                Figure(
                    event=event,
                    label=label,
                    value=value,
                    unit=unit,
                    qualifier=rng.choice(list(FigureQualifier)),
                    theme=rng.choice(self.themes),
                    source=source,
                    order=order,
                )
            )
        for order, person in enumerate(rng.sample(self.people, rng.randint(0, 2)), start=1):
            role = ROLES[self.people.index(person)]
            text = (
                "We accept the findings in full and are determined to improve."
                if weak
                else "This reflects the hard work of our staff and partners."
            )
            self.batch.statements.append(
                Statement(
                    event=event,
                    person=person,
                    role=f"{role}, {self.authority.name}",
                    text=text,
                    source=event._synthetic_sources[-1],
                    order=order,
                )
            )

    def visit_dates(self, year: int, month: int, days: int):
        start = datetime.date(year, month, self.rng.randint(1, 20))
        end = start + datetime.timedelta(days=days)
        published = end + datetime.timedelta(days=self.rng.randint(20, 45))
        return start, end, published

    # The history ---------------------------------------------------------------------

    def inspection(self, year: int, framework: str, inspection_type: str, grade: str) -> Event:
        start, end, published = self.visit_dates(year, self.rng.randint(1, 10), 14)
        if published.year > LAST_YEAR:
            return self.planned_inspection(year)
        label = "SIF inspection" if framework == Framework.SIF else "ILACS inspection"
        event = self.event(
            EventKind.INSPECTION,
            start,
            f"{label} of {self.authority.name}, {year}",
            f"Ofsted judged children's services {Grade(grade).label.lower()} overall.",
            end_date=end,
            published_on=published,
            framework=framework,
            inspection_type=inspection_type,
        )
        areas = FRAMEWORK_AREAS[Framework(framework)]
        for area in areas:
            if area == areas[0]:
                area_grade = grade
            else:
                shift = self.rng.choice((-1, 0, 0, 0, 1))
                area_grade = GRADES[min(3, max(0, GRADES.index(grade) + shift))]
            self.batch.judgements.append(
                Judgement(
                    event=event,
                    area=area,
                    grade=area_grade,
                    source=event._synthetic_sources[0],
                )
            )
        self.facts(event, grade)
        return event

    def planned_inspection(self, year: int) -> Event:
        when = datetime.date(min(year, LAST_YEAR + 1), 1, 1)
        return self.event(
            EventKind.INSPECTION,
            when,
            f"Next ILACS inspection of {self.authority.name}",
            "The next full inspection is expected; the date is not yet known.",
            framework=Framework.ILACS,
            inspection_type=InspectionType.STANDARD,
            status=EventStatus.PLANNED,
            month_only=True,
        )

    def focused_visit(self, year: int) -> None:
        start, end, published = self.visit_dates(year, self.rng.randint(1, 11), 2)
        if published.year > LAST_YEAR:
            return
        event = self.event(
            EventKind.FOCUSED_VISIT,
            start,
            f"Focused visit to {self.authority.name}, {year}",
            "Inspectors looked at one area of practice in depth.",
            end_date=end,
            published_on=published,
        )
        self.facts(event, None)

    def intervention(self, inspection: Event) -> int:
        """After an inadequate: direction, board, monitoring visits. Returns the year of
        the re-inspection."""
        first_month = inspection.published_on.replace(day=1) + datetime.timedelta(days=32)
        first_month = first_month.replace(day=1)
        self.event(
            EventKind.STATUTORY_DIRECTION,
            first_month,
            f"Statutory direction to {self.authority.name}",
            "The Department for Education appointed a commissioner.",
            month_only=True,
        )
        self.event(
            EventKind.IMPROVEMENT_BOARD,
            (first_month + datetime.timedelta(days=45)).replace(day=1),
            f"Improvement board for {self.authority.name} first meets",
            "An independent chair leads the board overseeing improvement.",
            month_only=True,
        )
        when = first_month + datetime.timedelta(days=120)
        for _ in range(self.rng.randint(3, 6)):
            start, end, published = self.visit_dates(when.year, when.month, 1)
            if published.year > LAST_YEAR:
                break
            self.monitoring_visits += 1
            number = self.monitoring_visits
            event = self.event(
                EventKind.MONITORING_VISIT,
                start,
                f"Monitoring visit {number} to {self.authority.name}",
                "Inspectors checked progress since the inadequate judgement.",
                end_date=end,
                published_on=published,
                sequence_number=number,
            )
            self.facts(event, Grade.INADEQUATE)
            when = published + datetime.timedelta(days=self.rng.randint(90, 140))
        return when.year + 1

    def build(self) -> None:
        rng = self.rng
        year = LAST_YEAR - YEARS + rng.randint(3, 5)
        grade = rng.choices(GRADES, weights=(1, 4, 4, 2))[0]
        inspection = self.inspection(year, Framework.SIF, InspectionType.STANDARD, grade)
        while True:
            if grade == Grade.INADEQUATE:
                next_year = self.intervention(inspection)
            else:
                visit_year = year + rng.randint(1, 2)
                # Focused visits came in with ILACS in 2018.
                if visit_year >= 2018 and rng.random() < 0.7:
                    self.focused_visit(visit_year)
                next_year = year + 3
            next_year = max(next_year, 2018)
            if rng.random() < 0.6:
                self.event(
                    EventKind.SCRUTINY_MEETING,
                    datetime.date(min(year + 1, LAST_YEAR), rng.randint(1, 12), 1),
                    f"Scrutiny committee reviews children's services at {self.authority.name}",
                    "Councillors questioned officers about the improvement plan.",
                    month_only=True,
                )
            if next_year > LAST_YEAR:
                self.planned_inspection(next_year)
                return
            if grade == Grade.INADEQUATE:
                grade = rng.choice((Grade.REQUIRES_IMPROVEMENT, Grade.REQUIRES_IMPROVEMENT, grade))
            else:
                shift = rng.choice((-1, 0, 0, 1))
                grade = GRADES[min(3, max(0, GRADES.index(grade) + shift))]
            inspection_type = (
                InspectionType.SHORT
                if grade in (Grade.OUTSTANDING, Grade.GOOD) and rng.random() < 0.5
                else InspectionType.STANDARD
            )
            inspection = self.inspection(next_year, Framework.ILACS, inspection_type, grade)
            if inspection.kind_enum == EventKind.INSPECTION and inspection.is_planned:
                return
            year = next_year


def themes() -> list[Theme]:
    """The shared themes, reusing the seed data's where the slug or name already exists."""
    found = []
    for slug, name in THEMES:
        theme = Theme.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if theme is None:
            theme = Theme.objects.create(slug=slug, name=name)
        found.append(theme)
    return found


def neighbours(authorities: list[LocalAuthority]) -> list[StatisticalNeighbour]:
    """Each authority's statistical neighbours: the next ten generated, closest first."""
    links = []
    count = min(NEIGHBOURS, len(authorities) - 1)
    closeness = list(Closeness)
    for index, authority in enumerate(authorities):
        for rank in range(1, count + 1):
            links.append(
                StatisticalNeighbour(
                    authority=authority,
                    neighbour=authorities[(index + rank) % len(authorities)],
                    rank=rank,
                    closeness=closeness[(rank - 1) * len(closeness) // NEIGHBOURS],
                )
            )
    return links


@transaction.atomic
def generate(
    authorities: int, seed: int = 0, first_number: int = 1, with_facts: bool = True
) -> dict[str, int]:
    """Add `authorities` synthetic authorities with 15 years each, in England's regions in
    turn, each with the next ten as its statistical neighbours; return rows added.
    `with_facts=False` leaves out findings, figures and statements, for pages that show
    only grades (much quicker to make at the size of ten Englands)."""
    rng = random.Random(seed)
    shared_themes = themes()
    batch = Batch()
    histories = []
    for number in range(first_number, first_number + authorities):
        history = AuthorityHistory(number, rng, shared_themes, batch, with_facts)
        history.build()
        histories.append(history)
    LocalAuthority.objects.bulk_create([h.authority for h in histories])
    StatisticalNeighbour.objects.bulk_create(
        neighbours([h.authority for h in histories]), batch_size=2000
    )
    for name in Batch.__dataclass_fields__:
        rows = getattr(batch, name)
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    # bulk_create sends no signals: tell the public pages' ETags that the data changed.
    bump_data_version()
    counts = {"authorities": len(histories)}
    counts |= {name: len(getattr(batch, name)) for name in Batch.__dataclass_fields__}
    return counts
