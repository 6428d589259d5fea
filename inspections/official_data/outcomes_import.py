"""Write Ofsted's statistics, read by ofsted_statistics, as events, judgements and a source.

- The release is one Source (kind "Official statistics", with the OGL attribution); every
  event, judgement and link this import writes cites it.
- An inspection or visit already on the site is the same event when the council, the kind
  (and for an inspection the type) and the first day on site agree, at the precision the
  site has the date to: West Sussex's inspection "in March 2023" from the articles is the
  statistics' inspection of 13 March 2023. Such an event gains the release as a further
  source, and the judgements it lacks; its own dates and text stay as its sources give them
  (the link to the release says the release's dates). Planned events are never matched:
  they record a plan.
- A grade that contradicts a stored one is refused, naming both, unless the stored grade
  came from this release or an earlier one: a later release corrects its predecessors, and
  the import says so.
- An event the statistics created (its address is the one the import gives it) follows the
  statistics: its title, summary and publication date are updated from a newer file.

Everything happens in one transaction: a refusal writes nothing.

With `keep_existing` (`manage.py seed`, run at every `make run`) the import only adds:
what is on the site stays as editors left it (a grade that differs is kept and noted, not
refused), and what the history shows an editor deleted is not brought back.
"""

import dataclasses
import datetime
import re
from pathlib import Path

from django.db import transaction

from ofsted_tracker import http_cache

from ..choices import (
    AuthorityStatus,
    DatePrecision,
    EventKind,
    EventStatus,
    Framework,
    Grade,
    JudgementArea,
    SourceKind,
)
from ..models import Event, EventSource, Judgement, LocalAuthority, Source
from .import_results import ImportRefused, Tally
from .ofsted_statistics import (
    LICENCE,
    PUBLISHER,
    Outcome,
    Outcomes,
    Release,
    day,
    describe_kind,
    read_outcomes,
)

SOURCES = "Sources"
COUNCILS = "Councils"
EVENTS = "Events"
EVENT_SOURCES = "Events citing the release"
JUDGEMENTS = "Judgements"
VISITED_KINDS = (EventKind.INSPECTION, EventKind.FOCUSED_VISIT, EventKind.MONITORING_VISIT)
DATE_NOTE = (
    "Ofsted's statistics give the first day on site and the publication date, "
    "not the last day on site."
)


def import_outcomes_file(
    path: Path, release_url: str = "", *, keep_existing: bool = False
) -> Tally:
    outcomes = read_outcomes(path)
    if release_url:
        outcomes.release = dataclasses.replace(outcomes.release, url=release_url)
    return import_outcomes(outcomes, keep_existing=keep_existing)


@transaction.atomic
def import_outcomes(outcomes: Outcomes, *, keep_existing: bool = False) -> Tally:
    tally = Tally()
    source = _write_source(outcomes.release, tally, keep_existing)
    authorities = _find_councils(outcomes, tally)
    _Events(outcomes, source, authorities, tally, keep_existing).write()
    if tally.changed:
        http_cache.bump_data_version()
    return tally


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def event_slug(authority: LocalAuthority, outcome: Outcome) -> str:
    """'kent-ilacs-standard-inspection-2019-03-04', 'west-sussex-focused-visit-2024-07-24'."""
    kind = describe_kind(outcome.kind, outcome.inspection_type).replace(" ", "-")
    return f"{authority.slug}-{kind.lower()}-{outcome.first_day.isoformat()}"


def event_title(outcome: Outcome) -> str:
    """'ILACS standard inspection', 'Focused visit: care leavers'."""
    title = describe_kind(outcome.kind, outcome.inspection_type)
    title = title[:1].upper() + title[1:]
    return f"{title}: {_lower_first(outcome.theme)}" if outcome.theme else title


def event_summary(outcome: Outcome) -> str:
    summary = f"On site from {day(outcome.first_day)}"
    if overall := outcome.grades.get(JudgementArea.OVERALL):
        summary += f"; overall effectiveness: {Grade(overall).label.lower()}"
    if outcome.theme:
        summary += f"; theme: {_lower_first(outcome.theme)}"
    return summary + "."


def contribution(outcome: Outcome) -> str:
    """What the release says about the event, with its dates: a matched event keeps its own."""
    parts = [f"the first day on site ({day(outcome.first_day)})"]
    if outcome.published_on:
        parts.append(f"the publication date ({day(outcome.published_on)})")
    if outcome.theme:
        parts.append(f"the theme ({_lower_first(outcome.theme)})")
    if outcome.grades:
        parts.append("the judgements")
    text = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return text[:1].upper() + text[1:] + "."


def _write_source(release: Release, tally: Tally, keep_existing: bool) -> Source:
    fields = {
        "title": release.title,
        "kind": SourceKind.STATISTICS,
        "publisher": PUBLISHER,
        "url": release.url,
        "published_on": release.published_on,
        "published_on_precision": DatePrecision.DAY,
        "published_on_approximate": False,
        "licence": LICENCE,
    }
    source = Source.objects.filter(seed_file=release.reference).first()
    if source is None:
        source = Source.objects.create(seed_file=release.reference, **fields)
        tally.add(SOURCES)
        return source
    changed = [name for name, value in fields.items() if getattr(source, name) != value]
    if changed and not keep_existing:
        for name in changed:
            setattr(source, name, fields[name])
        source.save(update_fields=changed)
        tally.update(SOURCES)
    else:
        tally.keep(SOURCES)
    return source


def _plain_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.casefold().replace("&", " and ")).strip()


def _find_councils(outcomes: Outcomes, tally: Tally) -> dict[str, LocalAuthority]:
    """Each ONS code in the file, as a council on the site; a council without an ONS code
    in the lookups (Bournemouth) is found by name and given the file's code."""
    stored = list(LocalAuthority.objects.all())
    by_code = {a.ons_code: a for a in stored if a.ons_code}
    found = {}
    for council in outcomes.councils.values():
        authority = by_code.get(council.ons_code)
        changed = []
        if authority is None:
            namesakes = [
                a
                for a in stored
                if not a.ons_code and _plain_name(a.name) == _plain_name(council.name)
            ]
            if len(namesakes) != 1:
                raise ImportRefused(
                    f"The statistics name a council the site does not have, {council.name} "
                    f"({council.ons_code}): load the councils first (manage.py import_councils)."
                )
            authority = namesakes[0]
            authority.ons_code = council.ons_code
            changed.append("ons_code")
        if council.status == AuthorityStatus.NO_LONGER_EXISTS:
            if authority.status != council.status:
                authority.status = council.status
                changed.append("status")
        elif council.status == AuthorityStatus.CURRENT and authority.status != council.status:
            raise ImportRefused(
                f"The statistics give {council.name} ({council.ons_code}) as a current council, "
                f"but the site has {authority.name} as one that no longer exists."
            )
        if changed:
            authority.save(update_fields=changed)
            tally.update(COUNCILS)
        else:
            tally.keep(COUNCILS)
        found[council.ons_code] = authority
    return found


def _agrees(event: Event, first_day: datetime.date) -> bool:
    """Whether the event's start date, at the precision the site has it, is `first_day`."""
    start = event.start_date
    match event.start_date_precision:
        case DatePrecision.DAY:
            return start == first_day
        case DatePrecision.MONTH:
            return (start.year, start.month) == (first_day.year, first_day.month)
        case DatePrecision.SEASON:
            months = (first_day.year - start.year) * 12 + first_day.month - start.month
            return 0 <= months < 3
        case DatePrecision.YEAR:
            return start.year == first_day.year
    return False  # a month without its year cannot be matched to a day


@dataclasses.dataclass
class DeletedOnTheSite:
    """What the history shows editors deleted (and that is not back): not to be re-added."""

    event_slugs: set = dataclasses.field(default_factory=set)
    links: set = dataclasses.field(default_factory=set)
    judgements: set = dataclasses.field(default_factory=set)

    @classmethod
    def read(cls) -> "DeletedOnTheSite":
        events = Event.history.filter(history_type="-").exclude(id__in=Event.objects.values("pk"))
        links = EventSource.history.filter(history_type="-").exclude(
            id__in=EventSource.objects.values("pk")
        )
        judgements = Judgement.history.filter(history_type="-").exclude(
            id__in=Judgement.objects.values("pk")
        )
        return cls(
            event_slugs=set(events.values_list("slug", flat=True)),
            links=set(links.values_list("event_id", "source_id")),
            judgements=set(judgements.values_list("event_id", "area")),
        )


class _Events:
    def __init__(
        self,
        outcomes: Outcomes,
        source: Source,
        authorities: dict,
        tally: Tally,
        keep_existing: bool = False,
    ):
        self.keep_existing = keep_existing
        self.outcomes = outcomes.outcomes
        self.release = outcomes.release
        self.source = source
        self.authorities = authorities
        self.tally = tally
        self.new_events: list[Event] = []
        self.new_links: list[tuple[Event, str]] = []
        self.new_judgements: list[tuple[Event, JudgementArea, Grade]] = []

    def write(self) -> None:
        stored = (
            Event.objects.filter(
                authority__in=self.authorities.values(),
                kind__in=VISITED_KINDS,
                status=EventStatus.HAPPENED,
            )
            .prefetch_related("judgements__source", "event_sources")
            .order_by("pk")
        )
        self.candidates: dict[tuple, list[Event]] = {}
        for event in stored:
            key = (event.authority_id, event.kind, event.inspection_type)
            self.candidates.setdefault(key, []).append(event)
        slugs = [event_slug(self.authorities[o.ons_code], o) for o in self.outcomes]
        self.taken = {e.slug: e for e in Event.objects.filter(slug__in=slugs)}
        self.deleted = DeletedOnTheSite.read() if self.keep_existing else DeletedOnTheSite()
        for outcome, slug in zip(self.outcomes, slugs, strict=True):
            self._write_one(outcome, slug)
        self._create()

    def _match(self, outcome: Outcome, authority: LocalAuthority, slug: str) -> Event | None:
        key = (authority.pk, outcome.kind, outcome.inspection_type)
        same = [e for e in self.candidates.get(key, []) if _agrees(e, outcome.first_day)]
        exact = [e for e in same if e.slug == slug] or [
            e for e in same if e.start_date_precision == DatePrecision.DAY
        ]
        if len(exact) == 1 or len(same) == 1:
            return (exact or same)[0]
        if same:
            raise ImportRefused(
                f"{outcome.described} could be any of {len(same)} events on the site "
                f"({', '.join(e.slug for e in same)}): give them dates to the day first."
            )
        return None

    def _write_one(self, outcome: Outcome, slug: str) -> None:
        authority = self.authorities[outcome.ons_code]
        event = self._match(outcome, authority, slug)
        if event is None and slug in self.deleted.event_slugs:
            self.tally.count(EVENTS, "not_restored")
            return
        if event is None:
            if len(slug) > Event._meta.get_field("slug").max_length:
                raise ImportRefused(
                    f"The address {slug!r} for {outcome.described} is too long: give "
                    f"{authority.name} a shorter slug first."
                )
            if slug in self.taken:
                raise ImportRefused(
                    f"The address {slug!r} that {outcome.described} would have is taken by "
                    f"another event, {self.taken[slug].title!r}."
                )
            event = Event(
                authority=authority,
                kind=outcome.kind,
                status=EventStatus.HAPPENED,
                slug=slug,
                framework=Framework.ILACS if outcome.kind == EventKind.INSPECTION else "",
                inspection_type=outcome.inspection_type,
                start_date=outcome.first_day,
                start_date_precision=DatePrecision.DAY,
                **self._owned_fields(outcome),
            )
            self.new_events.append(event)
            self.tally.add(EVENTS)
            self.new_links.append((event, contribution(outcome)))
            self.tally.add(EVENT_SOURCES)
            for area, grade in outcome.grades.items():
                self.new_judgements.append((event, area, grade))
                self.tally.add(JUDGEMENTS)
            return
        if event.slug == slug and not self.keep_existing:
            self._update_owned(event, outcome)
        else:
            self.tally.keep(EVENTS)
        self._write_link(event, outcome)
        self._write_judgements(event, outcome)

    def _owned_fields(self, outcome: Outcome) -> dict:
        return {
            "title": event_title(outcome),
            "summary": event_summary(outcome),
            "published_on": outcome.published_on,
            "published_on_precision": DatePrecision.DAY,
            "published_on_approximate": False,
            "date_note": DATE_NOTE,
        }

    def _update_owned(self, event: Event, outcome: Outcome) -> None:
        fields = self._owned_fields(outcome)
        changed = [name for name, value in fields.items() if getattr(event, name) != value]
        if not changed:
            self.tally.keep(EVENTS)
            return
        for name in changed:
            setattr(event, name, fields[name])
        event.save(update_fields=changed)
        self.tally.update(EVENTS)

    def _write_link(self, event: Event, outcome: Outcome) -> None:
        text = contribution(outcome)
        link = next((s for s in event.event_sources.all() if s.source_id == self.source.pk), None)
        if link is None and (event.pk, self.source.pk) in self.deleted.links:
            self.tally.count(EVENT_SOURCES, "not_restored")
        elif link is None:
            self.new_links.append((event, text))
            self.tally.add(EVENT_SOURCES)
        elif link.contribution != text and not self.keep_existing:
            link.contribution = text
            link.save(update_fields=["contribution"])
            self.tally.update(EVENT_SOURCES)
        else:
            self.tally.keep(EVENT_SOURCES)

    def _write_judgements(self, event: Event, outcome: Outcome) -> None:
        stored = {j.area: j for j in event.judgements.all()}
        for area, grade in outcome.grades.items():
            judgement = stored.get(area)
            if judgement is None and (event.pk, area) in self.deleted.judgements:
                self.tally.count(JUDGEMENTS, "not_restored")
            elif judgement is None:
                self.new_judgements.append((event, area, grade))
                self.tally.add(JUDGEMENTS)
            elif judgement.grade == grade:
                self.tally.keep(JUDGEMENTS)
            elif self.keep_existing:
                self.tally.keep(JUDGEMENTS)
                self.tally.notes.append(
                    f"{outcome.described}, {_lower_first(area.label)}: the site's "
                    f"'{Grade(judgement.grade).label}' kept; the statistics give "
                    f"'{Grade(grade).label}'."
                )
            elif self._corrects(judgement.source):
                self.tally.notes.append(
                    f"{outcome.described}, {area.label[:1].lower() + area.label[1:]}: "
                    f"{Grade(judgement.grade).label} corrected to {Grade(grade).label}."
                )
                judgement.grade = grade
                judgement.source = self.source
                judgement.save(update_fields=["grade", "source"])
                self.tally.update(JUDGEMENTS)
            else:
                raise ImportRefused(
                    f"{self.release.title} gives {outcome.described} "
                    f"'{Grade(grade).label}' for {_lower_first(area.label)}, but the site has "
                    f"'{Grade(judgement.grade).label}' from '{judgement.source.title}': "
                    "correct one of them first."
                )

    def _corrects(self, earlier: Source) -> bool:
        """Whether this release may correct a grade that `earlier` gave."""
        return (
            earlier.kind == SourceKind.STATISTICS
            and earlier.published_on is not None
            and earlier.published_on <= self.release.published_on
        )

    def _create(self) -> None:
        # Bulk writes send no signals: import_outcomes bumps the data version once.
        Event.objects.bulk_create(self.new_events)
        EventSource.objects.bulk_create(
            EventSource(event_id=event.pk, source=self.source, contribution=text)
            for event, text in self.new_links
        )
        Judgement.objects.bulk_create(
            Judgement(event_id=event.pk, area=area, grade=grade, source=self.source)
            for event, area, grade in self.new_judgements
        )
