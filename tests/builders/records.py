"""Small factories for records the tests make themselves (not from the seed data)."""

import datetime
import itertools

from inspections.choices import (
    ConcernStatus,
    DatePrecision,
    EventKind,
    FigureUnit,
    FindingKind,
    Framework,
    Grade,
    InspectionType,
    JudgementArea,
    SourceKind,
)
from inspections.models import (
    ConcernLink,
    Event,
    EventSource,
    Figure,
    Finding,
    Judgement,
    LocalAuthority,
    Person,
    Source,
    Statement,
    StatusUpdate,
    Theme,
)

_counter = itertools.count(1)


def make_authority(**fields) -> LocalAuthority:
    n = next(_counter)
    defaults = {"name": f"Test council {n}", "slug": f"test-council-{n}"}
    return LocalAuthority.objects.create(**(defaults | fields))


def make_source(**fields) -> Source:
    n = next(_counter)
    defaults = {"seed_file": f"test-{n}.txt", "title": f"Test article {n}", "kind": SourceKind.NEWS}
    return Source.objects.create(**(defaults | fields))


def make_theme(**fields) -> Theme:
    n = next(_counter)
    return Theme.objects.create(**({"name": f"Theme {n}", "slug": f"theme-{n}"} | fields))


def make_event(authority: LocalAuthority, source: Source | None = None, **fields) -> Event:
    n = next(_counter)
    defaults = {
        "authority": authority,
        "kind": EventKind.MONITORING_VISIT,
        "title": f"Test visit {n}",
        "slug": f"test-visit-{n}",
        "summary": "A visit made up for a test.",
        "start_date": datetime.date(2021, 5, 10),
        "start_date_precision": DatePrecision.DAY,
    }
    event = Event.objects.create(**(defaults | fields))
    EventSource.objects.create(event=event, source=source or make_source())
    return event


def make_inspection(authority: LocalAuthority, source: Source | None = None, **fields) -> Event:
    source = source or make_source()
    fields = {
        "kind": EventKind.INSPECTION,
        "framework": Framework.ILACS,
        "inspection_type": InspectionType.STANDARD,
    } | fields
    return make_event(authority, source, **fields)


def make_judgement(event: Event, area=JudgementArea.OVERALL, grade=Grade.GOOD, source=None):
    return Judgement.objects.create(
        event=event, area=area, grade=grade, source=source or event.sources.first()
    )


def make_finding(event: Event, theme: Theme, text="Something inspectors found.", **fields):
    defaults = {"kind": FindingKind.STRENGTH, "source": event.sources.first()}
    return Finding.objects.create(event=event, theme=theme, text=text, **(defaults | fields))


def make_figure(event: Event, label="Children in care", value=100, **fields) -> Figure:
    defaults = {"unit": FigureUnit.COUNT, "source": event.sources.first()}
    return Figure.objects.create(event=event, label=label, value=value, **(defaults | fields))


def make_statement(event: Event, text="We accept the findings.", **fields) -> Statement:
    n = next(_counter)
    defaults = {"role": "Cabinet member", "source": event.sources.first()}
    if "person" not in fields:
        defaults["person"] = Person.objects.create(name=f"Test speaker {n}")
    return Statement.objects.create(event=event, text=text, **(defaults | fields))


def make_recommendation(event: Event, theme: Theme, text="Improve something.", **fields):
    """An area for improvement: a tracked item."""
    return make_finding(event, theme, text, **({"kind": FindingKind.IMPROVEMENT} | fields))


def make_link(earlier: Finding, later: Finding, **fields) -> ConcernLink:
    defaults = {
        "reason": "Both ask for the same thing.",
        "source": later.event.sources.first(),
    }
    return ConcernLink.objects.create(earlier=earlier, later=later, **(defaults | fields))


def make_update(
    finding: Finding, status=ConcernStatus.PROGRESS, on: datetime.date | None = None, **fields
) -> StatusUpdate:
    defaults = {
        "on": on or finding.event.start_date + datetime.timedelta(days=100),
        "quote": "Some progress has been made.",
        "source": make_source(),
    }
    return StatusUpdate.objects.create(finding=finding, status=status, **(defaults | fields))
