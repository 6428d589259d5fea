"""What the sources say about a council's children's services, and where they say it.

Every fact-bearing record cites a Source. Integrity rules live in the database as
named constraints, each paired with a clean() that gives the admin a friendly
message before the database would refuse.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from . import dates
from .choices import (
    DatePrecision,
    EventKind,
    EventStatus,
    FigureQualifier,
    FigureUnit,
    FindingKind,
    Framework,
    Grade,
    InspectionType,
    JudgementArea,
    SourceKind,
)
from .history import ProxyAwareHistoricalRecords
from .links import slug_url
from .slugs import is_slug


def _in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _precision_field(help_text: str = "") -> models.CharField:
    return models.CharField(
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=help_text
        or "How much of the date the source states. Enter a month as its first day.",
    )


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SourceManager(models.Manager):
    def get_by_natural_key(self, seed_file):
        return self.get(seed_file=seed_file)


class LocalAuthorityQuerySet(models.QuerySet):
    def chosen(self, slug: str | None):
        """The authority a page was asked for by slug, or the first one entered; None if none.

        An unknown slug raises LocalAuthority.DoesNotExist, which views turn into a 404.
        """
        if slug:
            if not is_slug(slug):
                raise self.model.DoesNotExist(f"{slug!r} is not a slug.")
            return self.get(slug=slug)
        return self.order_by("pk").first()


class LocalAuthority(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    objects = SlugNaturalKeyManager.from_queryset(LocalAuthorityQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Source(models.Model):
    """An article or document that facts are taken from."""

    seed_file = models.CharField(
        max_length=120,
        unique=True,
        help_text="The file name of the article in the seed collection, or a short "
        "unique reference for a new source.",
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    publisher = models.CharField(max_length=200, blank=True, help_text="Blank when unknown.")
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True, max_length=500, help_text="Web address, where known.")
    published_on = models.DateField(null=True, blank=True)
    published_on_precision = _precision_field()
    published_on_approximate = models.BooleanField(default=False)
    date_note = models.TextField(
        blank=True, help_text="How the date was worked out when the source does not state it."
    )

    objects = SourceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", SourceKind), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=dates.precision_condition("published_on"),
                name="source_published_on_precision_agrees",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.seed_file,)

    @property
    def date_display(self) -> str:
        return dates.describe(
            self.published_on, self.published_on_precision, self.published_on_approximate
        )

    def clean(self):
        if error := dates.precision_error(self.published_on, self.published_on_precision):
            raise ValidationError({"published_on": error})


class Theme(models.Model):
    """A subject that findings and figures can be followed by across the years."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return slug_url("inspections:theme", self.slug)


class Person(models.Model):
    name = models.CharField(max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("start_date", "pk")

    def with_theme(self, theme):
        """Events with a finding or a figure on `theme`."""
        return self.filter(
            models.Exists(Finding.objects.filter(event=models.OuterRef("pk"), theme=theme))
            | models.Exists(Figure.objects.filter(event=models.OuterRef("pk"), theme=theme))
        )

    def for_timeline(self):
        """Everything a timeline row shows, in a fixed number of queries."""
        return (
            self.select_related("authority")
            .prefetch_related(models.Prefetch("judgements", Judgement.objects.order_by("pk")))
            .chronological()
        )

    def for_detail(self):
        return self.select_related("authority").prefetch_related(
            models.Prefetch("judgements", Judgement.objects.select_related("source")),
            models.Prefetch(
                "findings",
                Finding.objects.select_related("theme", "source").order_by("order", "pk"),
            ),
            models.Prefetch(
                "figures", Figure.objects.select_related("theme", "source").order_by("order", "pk")
            ),
            models.Prefetch(
                "statements",
                Statement.objects.select_related("person", "source").order_by("order", "pk"),
            ),
            models.Prefetch(
                "event_sources", EventSource.objects.select_related("source").order_by("pk")
            ),
        )


class Event(models.Model):
    """An inspection, a visit, or another milestone on the same timeline."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="events")
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
    start_date_precision = _precision_field()
    start_date_approximate = models.BooleanField(default=False)
    end_date = models.DateField(null=True, blank=True, help_text="Last day on site.")
    end_date_precision = _precision_field()
    end_date_approximate = models.BooleanField(default=False)
    published_on = models.DateField(
        null=True, blank=True, help_text="When the report or outcome was published."
    )
    published_on_precision = _precision_field()
    published_on_approximate = models.BooleanField(default=False)
    date_note = models.TextField(
        blank=True,
        help_text="What the sources say about the date when they are vague, and how "
        "the date shown was worked out.",
    )
    lead_inspector = models.CharField(
        max_length=200,
        blank=True,
        help_text="Ofsted visits only: the lead inspector the report names. Blank when unknown.",
    )
    sources = models.ManyToManyField(Source, through="EventSource", related_name="events")

    objects = EventQuerySet.as_manager()
    history = ProxyAwareHistoricalRecords()

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", EventKind), name="event_kind_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("status", EventStatus), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (Q(end_date__isnull=True) & Q(published_on__gte=F("start_date")))
                | (Q(end_date__isnull=False) & Q(published_on__gte=F("end_date"))),
                name="event_published_after_it_ends",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=EventKind.INSPECTION)
                    & Q(framework__in=Framework.values)
                    & Q(inspection_type__in=InspectionType.values)
                )
                | (~Q(kind=EventKind.INSPECTION) & Q(framework="") & Q(inspection_type="")),
                name="event_framework_only_on_inspections",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__isnull=True)
                | Q(kind=EventKind.MONITORING_VISIT, sequence_number__gte=1),
                name="event_sequence_number_only_on_monitoring_visits",
            ),
            models.UniqueConstraint(
                fields=["authority", "kind", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="event_unique_monitoring_visit_number",
                violation_error_message="This authority already has a monitoring visit "
                "with that number.",
            ),
            *[
                models.CheckConstraint(
                    condition=dates.precision_condition(field),
                    name=f"event_{field}_precision_agrees",
                )
                for field in ("start_date", "end_date", "published_on")
            ],
            *[
                models.CheckConstraint(
                    condition=_in_choices(f"{field}_precision", DatePrecision),
                    name=f"event_{field}_precision_valid",
                )
                for field in ("start_date", "end_date", "published_on")
            ],
        ]

    def __str__(self):
        return f"{self.title} ({self.dates_display})"

    def get_absolute_url(self):
        return slug_url("inspections:event", self.slug)

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
    def is_approximate(self) -> bool:
        return (
            self.start_date_approximate
            or self.end_date_approximate
            or self.start_date_precision != DatePrecision.DAY
        )

    def neighbours(self):
        """The events just before and just after this one on its authority's timeline."""
        same_authority = Event.objects.filter(authority_id=self.authority_id).only(
            "slug", "title", "start_date", "start_date_precision"
        )
        before = Q(start_date__lt=self.start_date) | Q(start_date=self.start_date, pk__lt=self.pk)
        after = Q(start_date__gt=self.start_date) | Q(start_date=self.start_date, pk__gt=self.pk)
        previous = same_authority.filter(before).order_by("-start_date", "-pk").first()
        following = same_authority.filter(after).order_by("start_date", "pk").first()
        return previous, following

    def overall_judgement(self):
        """The overall judgement from the prefetched judgements, or None."""
        return next((j for j in self.judgements.all() if j.area == JudgementArea.OVERALL), None)

    def clean(self):
        errors = {}
        for field in ("start_date", "end_date", "published_on"):
            value = getattr(self, field)
            if error := dates.precision_error(value, getattr(self, f"{field}_precision")):
                errors[field] = error
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        last_day = self.end_date or self.start_date
        if self.published_on and last_day and self.published_on < last_day:
            errors["published_on"] = (
                "The publication date must be on or after the last day of the visit."
            )
        if self.kind == EventKind.INSPECTION:
            if not self.framework:
                errors["framework"] = "Choose the framework of this graded inspection."
            if not self.inspection_type:
                errors["inspection_type"] = "Choose standard or short inspection."
        else:
            if self.framework:
                errors["framework"] = "Only graded inspections have a framework."
            if self.inspection_type:
                errors["inspection_type"] = "Only graded inspections have an inspection type."
        if self.sequence_number is not None and self.kind != EventKind.MONITORING_VISIT:
            errors["sequence_number"] = "Only monitoring visits have a number in the series."
        if errors:
            raise ValidationError(errors)


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


class EventSource(models.Model):
    """A source that an event draws on, and what it contributed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="event_sources")
    contribution = models.CharField(
        max_length=300, blank=True, help_text="What this source tells us about the event."
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "source"], name="event_source_unique"),
        ]

    def __str__(self):
        return f"{self.source} for {self.event.title}"


class Judgement(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="judgements")
    area = models.CharField(max_length=40, choices=JudgementArea.choices)
    grade = models.CharField(max_length=24, choices=Grade.choices)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="judgements")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "area"],
                name="judgement_one_per_area",
                violation_error_message="This inspection already has a judgement for that area.",
            ),
            models.CheckConstraint(
                condition=_in_choices("grade", Grade), name="judgement_grade_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("area", JudgementArea), name="judgement_area_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_grade_display()}"

    @property
    def area_short(self) -> str:
        return JudgementArea(self.area).short_label

    @property
    def rank(self) -> int:
        return Grade.rank(self.grade)

    def clean(self):
        if self.event_id and not self.event.is_graded:
            raise ValidationError(
                f"A {self.event.get_kind_display().lower()} is not graded: "
                "only graded inspections have judgements."
            )


class Finding(models.Model):
    """A strength, an area for improvement, or an action, as a source reports it."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField(max_length=16, choices=FindingKind.choices)
    text = models.TextField()
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="findings")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="findings")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="finding_has_text"),
            models.CheckConstraint(
                condition=_in_choices("kind", FindingKind), name="finding_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def clean(self):
        self.text = (self.text or "").strip()
        if not self.text:
            raise ValidationError({"text": "Enter the text of the finding."})


class Figure(models.Model):
    """A number a source states, such as the share of care leavers not in education."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="figures")
    label = models.CharField(max_length=200, help_text="What was counted or measured.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=8, choices=FigureUnit.choices)
    qualifier = models.CharField(
        max_length=8, choices=FigureQualifier.choices, default=FigureQualifier.EXACT
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="figures", null=True, blank=True
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("unit", FigureUnit), name="figure_unit_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("qualifier", FigureQualifier), name="figure_qualifier_valid"
            ),
            models.CheckConstraint(
                condition=~Q(unit=FigureUnit.PERCENT) | Q(value__gte=0, value__lte=100),
                name="figure_percent_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.value_display}"

    @property
    def value_display(self) -> str:
        number = self.value.normalize() if self.value is not None else None
        if number is None:
            return ""
        number_text = f"{number:,f}"
        match self.unit:
            case FigureUnit.PERCENT:
                text = f"{number_text}%"
            case FigureUnit.POUNDS if number >= 1_000_000:
                text = f"£{(number / 1_000_000).normalize():f} million"
            case FigureUnit.POUNDS:
                text = f"£{number_text}"
            case _:
                text = number_text
        if self.qualifier != FigureQualifier.EXACT:
            text = f"{self.get_qualifier_display().lower()} {text}"
        return text

    def clean(self):
        percent = self.unit == FigureUnit.PERCENT
        if percent and self.value is not None and not 0 <= self.value <= 100:
            raise ValidationError({"value": "A percentage must be between 0 and 100."})


class Statement(models.Model):
    """Something a named person said, with their role at the time."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="statements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="statements")
    role = models.CharField(max_length=200, help_text="Their role when they said it.")
    text = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="statements")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="statement_has_text"),
        ]

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"

    def clean(self):
        self.text = (self.text or "").strip()
        if not self.text:
            raise ValidationError({"text": "Enter what was said."})
