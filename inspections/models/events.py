"""The events of a council's record: inspections, visits and plans.

Every fact-bearing record cites a Source. A rule one row can check is a named database
constraint whose message Django's validation shows beside its field; a rule across rows
is written once in rules.py, which clean() calls.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    Q,
)

from .. import dates
from ..choices import (
    DatePrecision,
    EventKind,
    EventStatus,
    Framework,
    InspectionType,
    JudgementArea,
)
from ..web.addresses import address
from . import rules
from .constraints import (
    EARLIEST_YEAR_RULE,
    ENDS_BEFORE_START,
    FRAMEWORK_RULE,
    FULFILLED_BY_ITSELF,
    FULFILLED_NOT_PLANNED,
    LONGEST_NOTE,
    NUMBER_NOT_MONITORING,
    NUMBER_TAKEN,
    PUBLISHED_BEFORE_END,
    beside_fields,
    in_choices,
    precision_constraint,
    precision_field,
)
from .event_queries import EventQuerySet
from .history import ProxyAwareHistoricalRecords

if TYPE_CHECKING:
    from .judgements import (
        Judgement,  # the events name their council; the councils' module imports this one
    )

    pass


class Event(models.Model):
    """An inspection, a visit, or another milestone on the same timeline."""

    authority = models.ForeignKey(
        "inspections.LocalAuthority", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    status = models.CharField(
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.HAPPENED,
        help_text="Planned events are shown as planned on the timeline.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The readable part of the page address."
    )
    summary = models.CharField(max_length=300, help_text="One line for the timeline.")
    framework = models.CharField(
        max_length=8,
        choices=Framework.choices,
        blank=True,
        help_text="Graded inspections only.",
    )
    inspection_type = models.CharField(
        max_length=16,
        choices=InspectionType.choices,
        blank=True,
        help_text="Graded inspections only.",
    )
    sequence_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Monitoring visits only: the number in the series (the fifth visit is 5).",
    )
    start_date = models.DateField(help_text="First day on site, or the date of the event.")
    start_date_precision = precision_field()
    start_date_approximate = models.BooleanField(default=False)
    earliest_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Only when the source does not state the year (precision “Month, year not "
        "stated”): the earliest year the event can have been in, as the date note reasons. "
        "The start date's year is the latest. Blank when even that cannot be said.",
    )
    end_date = models.DateField(null=True, blank=True, help_text="Last day on site.")
    end_date_precision = precision_field()
    end_date_approximate = models.BooleanField(default=False)
    published_on = models.DateField(
        null=True, blank=True, help_text="When the report or outcome was published."
    )
    published_on_precision = precision_field()
    published_on_approximate = models.BooleanField(default=False)
    date_note = models.TextField(
        blank=True,
        max_length=LONGEST_NOTE,
        help_text="What the sources say about the date when they are vague, and how "
        "the date shown was worked out.",
    )
    lead_inspector = models.CharField(
        max_length=200,
        blank=True,
        help_text="Ofsted visits only: the lead inspector the report names. Blank when unknown.",
    )
    sources = models.ManyToManyField(
        "inspections.Source", through="EventSource", related_name="events"
    )
    fulfilled_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fulfils",
        limit_choices_to={"status": EventStatus.HAPPENED},
        verbose_name="fulfilled by",
        help_text="Planned events only: the event of the same council that took place as "
        "planned, early or late, where a source shows it. Leave blank when none is recorded.",
    )

    objects = EventQuerySet.as_manager()
    history = ProxyAwareHistoricalRecords()

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("kind", EventKind), name="event_kind_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("status", EventStatus), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_it_starts",
                violation_error_message=ENDS_BEFORE_START,
                violation_error_code="end_date",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (Q(end_date__isnull=True) & Q(published_on__gte=F("start_date")))
                | (Q(end_date__isnull=False) & Q(published_on__gte=F("end_date"))),
                name="event_published_after_it_ends",
                violation_error_message=PUBLISHED_BEFORE_END,
                violation_error_code="published_on",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=EventKind.INSPECTION)
                    & Q(framework__in=Framework.values)
                    & Q(inspection_type__in=InspectionType.values)
                )
                | (~Q(kind=EventKind.INSPECTION) & Q(framework="") & Q(inspection_type="")),
                name="event_framework_only_on_inspections",
                violation_error_message=FRAMEWORK_RULE,
                violation_error_code="framework",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__isnull=True)
                | Q(kind=EventKind.MONITORING_VISIT, sequence_number__gte=1),
                name="event_sequence_number_only_on_monitoring_visits",
                violation_error_message=NUMBER_NOT_MONITORING,
                violation_error_code="sequence_number",
            ),
            models.UniqueConstraint(
                fields=["authority", "kind", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="event_unique_monitoring_visit_number",
                violation_error_message=NUMBER_TAKEN,
            ),
            *[
                precision_constraint("event", field)
                for field in ("start_date", "end_date", "published_on")
            ],
            *[
                models.CheckConstraint(
                    condition=in_choices(f"{field}_precision", DatePrecision),
                    name=f"event_{field}_precision_valid",
                )
                for field in ("start_date", "end_date", "published_on")
            ],
            models.CheckConstraint(
                condition=Q(earliest_year__isnull=True)
                | Q(
                    start_date_precision=DatePrecision.MONTH_NO_YEAR,
                    start_date__year__gte=F("earliest_year"),
                ),
                name="event_earliest_year_only_when_year_not_stated",
                violation_error_message=EARLIEST_YEAR_RULE,
                violation_error_code="earliest_year",
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_by__isnull=True) | Q(status=EventStatus.PLANNED),
                name="event_only_plans_are_fulfilled",
                violation_error_message=FULFILLED_NOT_PLANNED,
                violation_error_code="fulfilled_by",
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_by__isnull=True) | ~Q(fulfilled_by=F("pk")),
                name="event_not_fulfilled_by_itself",
                violation_error_message=FULFILLED_BY_ITSELF,
                violation_error_code="fulfilled_by",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.dates_display})"

    def get_absolute_url(self) -> str:
        return address("inspections:event", self.slug)

    @property
    def kind_enum(self) -> EventKind:
        return EventKind(self.kind)

    @property
    def is_graded(self) -> bool:
        return self.kind_enum.is_graded

    @property
    def is_planned(self) -> bool:
        return self.status == EventStatus.PLANNED

    @property
    def expected_until(self) -> datetime.date:
        """The last day of the period the event is dated to (its end date's, if it has one)."""
        if self.end_date:
            return dates.period_end(self.end_date, self.end_date_precision)
        return dates.period_end(self.start_date, self.start_date_precision)

    @property
    def plan_has_passed(self) -> bool:
        """A plan whose stated period ended before today (fulfilled or not)."""
        return self.is_planned and self.expected_until < dates.today()

    @property
    def plan_without_outcome(self) -> bool:
        """A plan whose time has passed with no event recorded as its outcome."""
        return self.plan_has_passed and self.fulfilled_by_id is None

    @property
    def plan_outcome(self) -> str:
        """What became of a plan, in one sentence measured against today ("" if not a plan).
        The pages' partial plan_outcome.html shows it, linking to what took place."""
        if not self.is_planned:
            return ""
        if self.fulfilled_by:
            took_place = self.fulfilled_by
            return (
                f"Planned for {self.dates_display}; took place: "
                f"{took_place.title}, {took_place.dates_display}."
            )
        if self.plan_has_passed:
            return f"No outcome recorded: expected {self.dates_display}."
        return f"Not yet happened: expected {self.dates_display}."

    @property
    def dates_display(self) -> str:
        return dates.describe_range(
            self.start_date,
            self.start_date_precision,
            self.end_date,
            self.end_date_precision,
            self.start_date_approximate or self.end_date_approximate,
        )

    @property
    def published_display(self) -> str:
        return dates.describe(
            self.published_on, self.published_on_precision, self.published_on_approximate
        )

    @property
    def year_is_stated(self) -> bool:
        return self.start_date_precision != DatePrecision.MONTH_NO_YEAR

    @property
    def possible_years(self) -> tuple[int | None, int]:
        """(earliest, latest) year the event can have been in; earliest None when unknown.
        A stated year is both."""
        if self.year_is_stated:
            return self.start_date.year, self.start_date.year
        return self.earliest_year, self.start_date.year

    @property
    def year_heading(self) -> str:
        """The heading the timeline files the event under: its year, or that it has none."""
        return str(self.start_date.year) if self.year_is_stated else "Year not stated"

    @property
    def possible_years_display(self) -> str:
        """'2020 to 2022', '2022 at the latest' or, for a stated year, '2019'."""
        earliest, latest = self.possible_years
        if earliest is None:
            return f"{latest} at the latest"
        return str(latest) if earliest == latest else f"{earliest} to {latest}"

    @property
    def is_approximate(self) -> bool:
        return (
            self.start_date_approximate
            or self.end_date_approximate
            or self.start_date_precision != DatePrecision.DAY
        )

    def neighbours(self) -> tuple["Event | None", "Event | None"]:
        """The events just before and just after this one on its authority's timeline."""
        same_authority = Event.objects.filter(authority_id=self.authority_id).only(
            "slug", "title", "start_date", "start_date_precision"
        )
        before = Q(start_date__lt=self.start_date) | Q(start_date=self.start_date, pk__lt=self.pk)
        after = Q(start_date__gt=self.start_date) | Q(start_date=self.start_date, pk__gt=self.pk)
        previous = same_authority.filter(before).order_by("-start_date", "-pk").first()
        following = same_authority.filter(after).order_by("start_date", "pk").first()
        return previous, following

    @property
    def judgements_by_area(self) -> dict[str, "Judgement"]:
        """{area: judgement}, from the prefetched judgements."""
        return {judgement.area: judgement for judgement in self.judgements.all()}

    @property
    def overall_judgement(self) -> "Judgement | None":
        """The overall effectiveness judgement, from the prefetched judgements, or None."""
        return self.judgements_by_area.get(JudgementArea.OVERALL)

    def clean(self) -> None:
        rules.check(self)

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise beside_fields(self, error) from None


class Inspection(Event):
    """A graded inspection, so that the admin has a page for entering one with its judgements.

    The admin shows only kind=inspection here; a proxy shares the events table and history.
    """

    class Meta:
        proxy = True
        verbose_name = "graded inspection"


class Visit(Event):
    """Every other kind of event (visits and milestones), entered on the admin's second page."""

    class Meta:
        proxy = True
        verbose_name = "visit or milestone"
        verbose_name_plural = "visits and milestones"
