"""The sources each event draws on, and what each contributed."""

from typing import TYPE_CHECKING

from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from .event_queries import EventQuerySet


class EventSourceQuerySet(models.QuerySet):
    def events_left_without_source(self, deleting: list[int]) -> "EventQuerySet":
        """The events that would cite no source if the links `deleting` were deleted."""
        kept = self.exclude(pk__in=deleting).filter(event=models.OuterRef("pk"))
        touched = self.filter(pk__in=deleting).values("event_id")
        events = self.model._meta.get_field("event").related_model
        return events.objects.filter(pk__in=touched).exclude(models.Exists(kept))


class EventSource(models.Model):
    """A source that an event draws on, and what it contributed."""

    event = models.ForeignKey(
        "inspections.Event", on_delete=models.CASCADE, related_name="event_sources"
    )
    source = models.ForeignKey(
        "inspections.Source", on_delete=models.PROTECT, related_name="event_sources"
    )
    contribution = models.CharField(
        max_length=300, blank=True, help_text="What this source tells us about the event."
    )

    objects = EventSourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "source"], name="event_source_unique"),
        ]

    def __str__(self):
        return f"{self.source} for {self.event.title}"
