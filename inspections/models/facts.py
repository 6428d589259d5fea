"""What the sources report of an event: themes, findings, figures and statements.

Every fact cites a Source. Integrity rules live in the database as named constraints,
each paired with a clean() that gives the admin a friendly message before the database
would refuse.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Count,
    Q,
)
from simple_history.models import HistoricalRecords

from ..choices import (
    FINDING_HEADINGS,
    THEME_JUDGEMENT_AREAS,
    FigureQualifier,
    FigureUnit,
    FindingKind,
    JudgementArea,
)
from ..web.addresses import address
from . import rules
from .constraints import (
    FINDING_KIND_MISSING,
    FINDING_TEXT_MISSING,
    FINDING_THEME_MISSING,
    LONGEST_FINDING,
    LONGEST_NOTE,
    LONGEST_STATEMENT,
    PERCENT_OUT_OF_RANGE,
    STATEMENT_TEXT_MISSING,
    SlugNaturalKeyManager,
    at_most,
    beside_fields,
    in_choices,
)
from .history import ProxyAwareHistoricalRecords


class ThemeQuerySet(models.QuerySet):
    def with_counts(self) -> "ThemeQuerySet":
        """Themes by name, each with how many findings and figures it has."""
        return self.annotate(
            finding_count=Count("findings", distinct=True),
            figure_count=Count("figures", distinct=True),
        ).order_by("name")


class Theme(models.Model):
    """A subject that findings and figures can be followed by across the years."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=LONGEST_NOTE)

    objects = SlugNaturalKeyManager.from_queryset(ThemeQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def judgement_areas(self) -> tuple[JudgementArea, ...]:
        """The judgement areas this theme's findings speak to (none for most themes)."""
        return THEME_JUDGEMENT_AREAS.get(self.slug, ())

    def get_absolute_url(self) -> str:
        return address("inspections:theme", self.slug)


class FindingQuerySet(models.QuerySet):
    def by_kind(self) -> list[tuple[str, list["Finding"]]]:
        """[(heading, [findings])]: strengths first, then areas for improvement and
        actions, each in the source's order. Uses prefetched rows where there are some."""
        grouped: dict[str, list] = {FINDING_HEADINGS[kind]: [] for kind in FindingKind}
        for finding in self:
            grouped[FINDING_HEADINGS[finding.kind]].append(finding)
        return [(heading, found) for heading, found in grouped.items() if found]

    def by_kind_and_theme(self) -> list[tuple[str, list[tuple["Theme", list["Finding"]]]]]:
        """[(heading, [(theme, [findings])])]: as by_kind(), each kind's findings grouped
        by theme, themes in the order the source first raises them."""
        grouped = []
        for heading, found in self.by_kind():
            by_theme: dict[Theme, list[Finding]] = {}
            for finding in found:
                by_theme.setdefault(finding.theme, []).append(finding)
            grouped.append((heading, list(by_theme.items())))
        return grouped


class Finding(models.Model):
    """A strength, an area for improvement, or an action, as a source reports it."""

    event = models.ForeignKey(
        "inspections.Event", on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(
        max_length=16, choices=FindingKind.choices, error_messages={"blank": FINDING_KIND_MISSING}
    )
    text = models.TextField(
        max_length=LONGEST_FINDING, error_messages={"blank": FINDING_TEXT_MISSING}
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="findings",
        error_messages={"null": FINDING_THEME_MISSING, "blank": FINDING_THEME_MISSING},
    )
    source = models.ForeignKey(
        "inspections.Source", on_delete=models.PROTECT, related_name="findings"
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = FindingQuerySet.as_manager()
    # Proxy-aware: the admin's "Recommendations" page edits findings through a proxy.
    history = ProxyAwareHistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="finding_has_text",
                violation_error_message=FINDING_TEXT_MISSING,
            ),
            at_most("text", LONGEST_FINDING, "finding_text_length"),
            models.CheckConstraint(
                condition=in_choices("kind", FindingKind), name="finding_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def clean(self) -> None:
        self.text = self.text.strip()
        rules.check(self)


class FigureQuerySet(models.QuerySet):
    def for_summary(self) -> "FigureQuerySet":
        """Oldest event first, each event's figures in the source's order."""
        return self.select_related("event", "source").order_by(
            "event__start_date", "event__pk", "order", "pk"
        )


class Figure(models.Model):
    """A number a source states, such as the share of care leavers not in education."""

    event = models.ForeignKey("inspections.Event", on_delete=models.PROTECT, related_name="figures")
    label = models.CharField(max_length=200, help_text="What was counted or measured.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=8, choices=FigureUnit.choices)
    qualifier = models.CharField(
        max_length=8, choices=FigureQualifier.choices, default=FigureQualifier.EXACT
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="figures", null=True, blank=True
    )
    source = models.ForeignKey(
        "inspections.Source", on_delete=models.PROTECT, related_name="figures"
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = FigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("unit", FigureUnit), name="figure_unit_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("qualifier", FigureQualifier), name="figure_qualifier_valid"
            ),
            models.CheckConstraint(
                condition=~Q(unit=FigureUnit.PERCENT) | Q(value__gte=0, value__lte=100),
                name="figure_percent_in_range",
                violation_error_message=PERCENT_OUT_OF_RANGE,
                violation_error_code="value",
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

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise beside_fields(self, error) from None


class Statement(models.Model):
    """Something a named person said, with their role at the time."""

    event = models.ForeignKey(
        "inspections.Event", on_delete=models.PROTECT, related_name="statements"
    )
    person = models.ForeignKey(
        "inspections.Person", on_delete=models.PROTECT, related_name="statements"
    )
    role = models.CharField(max_length=200, help_text="Their role when they said it.")
    text = models.TextField(
        max_length=LONGEST_STATEMENT, error_messages={"blank": STATEMENT_TEXT_MISSING}
    )
    source = models.ForeignKey(
        "inspections.Source", on_delete=models.PROTECT, related_name="statements"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="statement_has_text",
                violation_error_message=STATEMENT_TEXT_MISSING,
            ),
            at_most("text", LONGEST_STATEMENT, "statement_text_length"),
        ]

    def __str__(self):
        return f"{self.person}: {self.text[:60]}"

    def clean(self) -> None:
        self.text = self.text.strip()
