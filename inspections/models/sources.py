"""Where every fact comes from: the sources (reports, statistics, papers) and the people
quoted in them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    F,
    Prefetch,
)
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .. import dates
from ..choices import SourceKind
from .constraints import (
    LONGEST_NOTE,
    beside_fields,
    in_choices,
    precision_constraint,
    precision_field,
)
from .event_sources import EventSource
from .facts import Figure, Finding, Statement
from .judgements import Judgement


class SourceQuerySet(models.QuerySet):
    def for_sources_page(self) -> "SourceQuerySet":
        """Every source with the facts that cite it, in a fixed number of queries."""
        newest_first = F("published_on").desc(nulls_last=True)
        return self.order_by(newest_first, "title").prefetch_related(
            Prefetch(
                "event_sources",
                EventSource.objects.select_related("event").order_by("event__start_date"),
            ),
            Prefetch("judgements", Judgement.objects.select_related("event")),
            Prefetch("findings", Finding.objects.select_related("event", "theme")),
            Prefetch("figures", Figure.objects.select_related("event")),
            Prefetch("statements", Statement.objects.select_related("event", "person")),
        )


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, seed_file):
        return self.get(seed_file=seed_file)


class Source(models.Model):
    """An article or document that facts are taken from."""

    # Internal: the seed articles' file names (the fixture's natural key), or a reference
    # made from the title for a source added later. Never shown on public pages.
    seed_file = models.CharField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="An internal reference, made from the title when left blank.",
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    publisher = models.CharField(max_length=200, blank=True, help_text="Blank when unknown.")
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True, max_length=500, help_text="Web address, where known.")
    published_on = models.DateField(null=True, blank=True)
    published_on_precision = precision_field()
    published_on_approximate = models.BooleanField(default=False)
    date_note = models.TextField(
        blank=True,
        max_length=LONGEST_NOTE,
        help_text="How the date was worked out when the source does not state it.",
    )
    licence = models.CharField(
        max_length=300,
        blank=True,
        help_text="The attribution the source's licence asks for, where it has one.",
    )

    objects = SourceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("kind", SourceKind), name="source_kind_valid"
            ),
            precision_constraint("source", "published_on"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.seed_file,)

    def save(self, *args, **kwargs) -> None:
        if not self.seed_file:
            self.seed_file = self.new_reference()
        super().save(*args, **kwargs)

    def new_reference(self) -> str:
        """'source-ofsted-inspection-of-west-sussex-2023', unique among the sources."""
        base = "source-" + (slugify(self.title)[:80].strip("-") or "untitled")
        if self.published_on:
            base += f"-{self.published_on:%Y}"
        taken = set(
            Source.objects.filter(seed_file__startswith=base).values_list("seed_file", flat=True)
        )
        return next(
            ref for ref in [base, *(f"{base}-{n}" for n in range(2, 10_000))] if ref not in taken
        )

    @property
    def date_display(self) -> str:
        return dates.describe(
            self.published_on, self.published_on_precision, self.published_on_approximate
        )

    @property
    def label(self) -> str:
        """How every page and export names the source: 'title, publisher, date'. The title
        is the source's own words, kept as written; a source with no known publisher is
        named by its kind ("News report") so the label always says who or what it is."""
        who = self.publisher or self.get_kind_display()
        when = self.date_display if self.published_on else "date not stated"
        return f"{self.title}, {who}, {when}"

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise beside_fields(self, error) from None


class Person(models.Model):
    name = models.CharField(max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name
