"""Small factories for records the tests make themselves (not from the seed data)."""

import datetime
import itertools

from inspections.choices import (
    DatePrecision,
    EventKind,
    FindingKind,
    Framework,
    Grade,
    InspectionType,
    JudgementArea,
    SourceKind,
)
from inspections.models import (
    Event,
    EventSource,
    Finding,
    Judgement,
    LocalAuthority,
    Source,
    Theme,
)

_counter = itertools.count(1)


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
