"""Recommendations followed through: links between tracked items, and their dated status.

A tracked item is a Finding of kind "area for improvement" (a report's "What needs to
improve"). It is raised on its event's first day, by the finding's own source.

The rules that span rows (a link goes forward in time between two items of one council;
an update is not dated before its item) cannot be CHECK constraints: they are in
rules.py, which clean() calls. Because every link goes strictly forward in time, a chain
of links can never come back to where it started: that is how a cycle is refused.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .. import dates
from ..choices import ConcernStatus, DatePrecision, FindingKind
from . import rules
from .constraints import (
    LINK_TO_ITSELF,
    LONGEST_FINDING,
    LONGEST_NOTE,
    at_most,
    beside_fields,
    in_choices,
    precision_constraint,
    precision_field,
)
from .facts import Finding

LINK_TAKEN = "These two items are already linked."
LINK_REASON_MISSING = "Say what supports the link: why these items raise the same concern."
LINK_SOURCE_MISSING = "Choose the report or paper that supports the link."
UPDATE_SOURCE_MISSING = (
    "Choose the source of this update: the later report, visit letter or council paper."
)
UPDATE_DATE_MISSING = "Enter the date the source gives for this update."
UPDATE_STATUS_MISSING = "Choose where the item stands: progress noted, addressed or raised again."

IMPROVEMENTS_ONLY = {"kind": FindingKind.IMPROVEMENT}


class Recommendation(Finding):
    """The admin's starting point for following recommendations through: improvement
    findings only, each with its status updates and its links to later items."""

    class Meta:
        proxy = True
        verbose_name = "recommendation"


class ConcernLink(models.Model):
    """An editor's judgement that a later item raises the same concern as an earlier one."""

    earlier = models.ForeignKey(
        "inspections.Finding",
        on_delete=models.CASCADE,
        related_name="later_links",
        limit_choices_to=IMPROVEMENTS_ONLY,
        help_text="The recommendation made first.",
    )
    later = models.ForeignKey(
        "inspections.Finding",
        on_delete=models.CASCADE,
        related_name="earlier_links",
        limit_choices_to=IMPROVEMENTS_ONLY,
        help_text="A recommendation of a later inspection or visit raising the same concern.",
    )
    reason = models.TextField(
        max_length=LONGEST_NOTE,
        error_messages={"blank": LINK_REASON_MISSING},
        help_text="What supports the link: the words or the reasoning that show it is the "
        "same concern. Links are editorial judgements; say what this one rests on.",
    )
    source = models.ForeignKey(
        "inspections.Source",
        on_delete=models.PROTECT,
        related_name="concern_links",
        error_messages={"blank": LINK_SOURCE_MISSING, "null": LINK_SOURCE_MISSING},
        help_text="The report or paper that supports the link (often the later report).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["earlier", "later", "pk"]
        verbose_name = "link to a later item"
        verbose_name_plural = "links to later items"
        constraints = [
            models.CheckConstraint(
                condition=~Q(earlier=F("later")),
                name="concernlink_not_to_itself",
                violation_error_message=LINK_TO_ITSELF,
            ),
            models.UniqueConstraint(
                fields=["earlier", "later"],
                name="concernlink_unique",
                violation_error_message=LINK_TAKEN,
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="concernlink_has_reason",
                violation_error_message=LINK_REASON_MISSING,
            ),
            at_most("reason", LONGEST_NOTE, "concernlink_reason_length"),
        ]

    def __str__(self):
        return f"{self.earlier.text[:40]} → {self.later.text[:40]}"

    def clean(self) -> None:
        self.reason = self.reason.strip()
        rules.check(self)


class StatusUpdate(models.Model):
    """A dated, sourced statement of where a tracked item stands."""

    finding = models.ForeignKey(
        "inspections.Finding",
        on_delete=models.CASCADE,
        related_name="status_updates",
        limit_choices_to=IMPROVEMENTS_ONLY,
        verbose_name="recommendation",
    )
    status = models.CharField(
        max_length=16,
        choices=ConcernStatus.choices,
        error_messages={"blank": UPDATE_STATUS_MISSING},
    )
    on = models.DateField(
        "date",
        error_messages={"blank": UPDATE_DATE_MISSING, "null": UPDATE_DATE_MISSING},
        help_text="When the source says it (a month is entered as its first day).",
    )
    on_precision = precision_field()
    quote = models.TextField(
        blank=True,
        max_length=LONGEST_FINDING,
        help_text="The source's own words on where the item stands.",
    )
    note = models.TextField(
        blank=True, max_length=LONGEST_NOTE, help_text="An editor's gloss, optional."
    )
    source = models.ForeignKey(
        "inspections.Source",
        on_delete=models.PROTECT,
        related_name="status_updates",
        error_messages={"blank": UPDATE_SOURCE_MISSING, "null": UPDATE_SOURCE_MISSING},
        help_text="The later report, visit letter or council paper that says so.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["finding", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=in_choices("status", ConcernStatus), name="statusupdate_status_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("on_precision", DatePrecision),
                name="statusupdate_on_precision_valid",
            ),
            precision_constraint("statusupdate", "on"),
            at_most("quote", LONGEST_FINDING, "statusupdate_quote_length"),
            at_most("note", LONGEST_NOTE, "statusupdate_note_length"),
        ]

    def __str__(self):
        return f"{self.get_status_display()}, {self.on_display}"

    @property
    def on_display(self) -> str:
        return dates.describe(self.on, self.on_precision)

    def clean(self) -> None:
        rules.check(self)

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise beside_fields(self, error) from None
