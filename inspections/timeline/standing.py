"""Where a council stands today: its current grades and the inspection they come from, its
last inspection and visit, and what Ofsted's ILACS rules lead one to expect next.

What comes next is an estimate, worked out from the framework's usual intervals (Ofsted,
"Inspecting local authority children's services"): Ofsted plans its own timetable and
does not announce it. The panel says so, states the rule in words, and flags a window
that has passed with nothing recorded.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .. import dates
from ..choices import OFSTED_VISIT_KINDS, DatePrecision, EventKind, EventStatus, Grade
from ..models import Event, Judgement

FRAMEWORK_NAME = "Inspecting local authority children's services"
FRAMEWORK_URL = "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-from-2018"
# The framework's usual intervals, which its text gives as approximate.
INSPECTION_INTERVAL_MONTHS = 36
MONITORING_INTERVAL_MONTHS = 3

VISIT_KINDS = (EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT)


@dataclass(frozen=True)
class Expectation:
    """What the framework leads one to expect next, and by when (an estimate)."""

    next_step: str
    rule: str
    window: str
    window_end: datetime.date | None
    passed_warning: str

    @property
    def has_passed(self) -> bool:
        return bool(self.passed_warning)


@dataclass(frozen=True)
class Standing:
    today: datetime.date
    grades: tuple[Judgement, ...]
    graded_by: Event | None
    last_inspection: Event | None
    last_visit: Event | None
    expectation: Expectation | None
    announced: tuple[Event, ...]
    # Where a reader can check for what this site has not recorded yet.
    ofsted_url: str = ""

    framework_name = FRAMEWORK_NAME
    framework_url = FRAMEWORK_URL


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = datetime.date(year, month + 1, 1)
    return first.replace(day=min(day.day, dates.period_end(first, DatePrecision.MONTH).day))


def last_day_known(event: Event) -> datetime.date:
    """When an event's outcome was known: its report's publication, else its last day."""
    return event.published_on or event.end_date or event.start_date


def where_things_stand(
    events: Iterable[Event], today: datetime.date, ofsted_url: str = ""
) -> Standing:
    """The standing of the council whose events (with their judgements prefetched) these
    are, and whose reports Ofsted lists at `ofsted_url`. Events of other kinds are
    ignored, so a page's own list can be passed in."""
    ofsted = [e for e in events if e.kind in OFSTED_VISIT_KINDS]
    newest_first = sorted(ofsted, key=lambda e: (e.start_date, e.pk), reverse=True)
    # Only what had begun by `today`: the panel reads the same on paper printed that day.
    happened = [
        e for e in newest_first if e.status == EventStatus.HAPPENED and e.start_date <= today
    ]
    inspections = [e for e in happened if e.kind == EventKind.INSPECTION]
    graded_by = next((e for e in inspections if e.overall_judgement), None)
    last_inspection = inspections[0] if inspections else None
    visits = [e for e in happened if e.kind in VISIT_KINDS]
    # The visits that count towards what comes next: those since the graded inspection.
    since = [v for v in visits if graded_by and v.start_date >= graded_by.start_date]
    announced = tuple(
        e
        for e in reversed(newest_first)
        if e.is_planned and not e.fulfilled_by_id and e.expected_until >= today
    )
    return Standing(
        today=today,
        grades=tuple(graded_by.judgements.all()) if graded_by else (),
        graded_by=graded_by,
        last_inspection=last_inspection,
        last_visit=visits[0] if visits else None,
        expectation=expect(graded_by, since, today) if graded_by else None,
        announced=announced,
        ofsted_url=ofsted_url,
    )


def _month(day: datetime.date) -> str:
    return dates.describe(day, DatePrecision.MONTH)


def _day(day: datetime.date) -> str:
    return dates.describe(day, DatePrecision.DAY)


def expect(inspection: Event, visits_since: list[Event], today: datetime.date) -> Expectation:
    """What the framework leads one to expect after `inspection`, given the visits made
    since it (newest first)."""
    grade = inspection.overall_judgement.grade
    known = last_day_known(inspection)
    known_as = (
        f"the report of {_day(known)}" if inspection.published_on else f"the visit of {_day(known)}"
    )
    if grade == Grade.INADEQUATE:
        if visits_since:
            reference = visits_since[0].end_date or visits_since[0].start_date
            after = f"the last visit, {visits_since[0].dates_display}"
        else:
            reference, after = known, known_as
        end = add_months(reference, MONITORING_INTERVAL_MONTHS)
        return Expectation(
            next_step="Monitoring visits until the council is inspected again",
            rule="After an inadequate judgement, Ofsted usually makes a monitoring visit about "
            "every three months, and re-inspects the council with a standard inspection when "
            "it judges the council ready. The re-inspection has no fixed date.",
            window=f"Next monitoring visit: by about {_month(end)}, about three months after "
            f"{after}.",
            window_end=end,
            passed_warning="This window has passed and no monitoring visit is recorded."
            if today > end
            else "",
        )
    end = add_months(known, INSPECTION_INTERVAL_MONTHS)
    if grade == Grade.REQUIRES_IMPROVEMENT:
        next_step = "A standard inspection"
        rule = (
            "After a judgement of requires improvement to be good, Ofsted usually carries out "
            "a standard inspection within about three years of the last one, with a focused "
            "visit or a monitoring visit in between."
        )
    else:
        next_step = "A short inspection"
        rule = (
            f"After a judgement of {Grade(grade).label.lower()}, Ofsted usually carries out a "
            "short inspection within about three years of the last one, with a focused visit "
            "in between."
        )
    return Expectation(
        next_step=next_step,
        rule=rule,
        window=f"By about {_month(end)}, about three years after {known_as}.",
        window_end=end,
        passed_warning="This window has passed and no inspection is recorded."
        if today > end
        else "",
    )
