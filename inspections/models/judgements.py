"""The judgements of a graded inspection: a grade for each area."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ..choices import EventKind, EventStatus, Framework, Grade, JudgementArea
from .constraints import in_choices


class JudgementQuerySet(models.QuerySet):
    def overall(self) -> "JudgementQuerySet":
        return self.filter(area=JudgementArea.OVERALL)

    def ilacs_overall_history(self) -> "JudgementQuerySet":
        """Every council's ILACS overall judgements, council by council, oldest first."""
        return (
            self.overall()
            .filter(
                event__kind=EventKind.INSPECTION,
                event__framework=Framework.ILACS,
                event__status=EventStatus.HAPPENED,
            )
            .order_by("event__authority_id", "event__start_date", "event__pk")
        )


class Judgement(models.Model):
    event = models.ForeignKey(
        "inspections.Event", on_delete=models.PROTECT, related_name="judgements"
    )
    area = models.CharField(max_length=40, choices=JudgementArea.choices)
    grade = models.CharField(max_length=24, choices=Grade.choices)
    source = models.ForeignKey(
        "inspections.Source", on_delete=models.PROTECT, related_name="judgements"
    )

    objects = JudgementQuerySet.as_manager()
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
                condition=in_choices("grade", Grade), name="judgement_grade_valid"
            ),
            models.CheckConstraint(
                condition=in_choices("area", JudgementArea), name="judgement_area_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_grade_display()}"

    @property
    def area_short(self) -> str:
        return JudgementArea(self.area).short_label

    def clean(self) -> None:
        if self.event_id and not self.event.is_graded:
            raise ValidationError(
                f"A {self.event.get_kind_display().lower()} is not graded: "
                "only graded inspections have judgements."
            )
