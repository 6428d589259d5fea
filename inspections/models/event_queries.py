"""The questions the pages ask of the events, each in a fixed number of queries."""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch, Q

from .. import dates
from ..choices import EventKind, EventStatus, FindingKind, Framework, JudgementArea
from .event_sources import EventSource
from .facts import Figure, Finding, Statement, Theme
from .judgements import Judgement

if TYPE_CHECKING:
    from .councils import LocalAuthority


class EventQuerySet(models.QuerySet):
    def chronological(self) -> "EventQuerySet":
        return self.order_by("start_date", "pk")

    def newest_first(self) -> "EventQuerySet":
        return self.order_by("-start_date", "-pk")

    def graded_ilacs(self) -> "EventQuerySet":
        """ILACS inspections that happened and have an overall judgement: the ones whose
        grades the councils pages compare. (Ofsted's statistics hold every council's
        ILACS inspections since 2018, so every council is compared on the same footing.)"""
        return self.filter(
            kind=EventKind.INSPECTION,
            framework=Framework.ILACS,
            status=EventStatus.HAPPENED,
        ).filter(
            models.Exists(
                Judgement.objects.filter(event=models.OuterRef("pk"), area=JudgementArea.OVERALL)
            )
        )

    def with_theme(self, theme: "Theme") -> "EventQuerySet":
        """Events with a finding or a figure on `theme`."""
        return self.filter(
            models.Exists(Finding.objects.filter(event=models.OuterRef("pk"), theme=theme))
            | models.Exists(Figure.objects.filter(event=models.OuterRef("pk"), theme=theme))
        )

    def for_timeline_entries(self) -> "EventQuerySet":
        """What the timeline's loop shows around each event's drawn item (its year, whether
        it is planned), oldest first: the items themselves are drawn fragments."""
        return self.only("pk", "start_date", "start_date_precision", "status").chronological()

    def for_timeline(self) -> "EventQuerySet":
        """Everything a timeline row shows, in a fixed number of queries."""
        return (
            self.select_related("authority", "fulfilled_by")
            .prefetch_related(models.Prefetch("judgements", Judgement.objects.order_by("pk")))
            .chronological()
        )

    def for_theme_page(self, theme: "Theme", authority: "LocalAuthority | None") -> "EventQuerySet":
        """The authority's events with a finding or figure on `theme`, oldest first, each
        with those findings (`theme_findings`), figures (`theme_figures`) and the judgements
        of the areas the theme speaks to (`theme_judgements`, THEME_JUDGEMENT_AREAS)."""
        return (
            self.with_theme(theme)
            .filter(authority=authority)
            .select_related("authority")
            .prefetch_related(
                Prefetch(
                    "findings",
                    Finding.objects.filter(theme=theme)
                    .select_related("source")
                    .order_by("order", "pk"),
                    to_attr="theme_findings",
                ),
                Prefetch(
                    "figures",
                    Figure.objects.filter(theme=theme)
                    .select_related("source")
                    .order_by("order", "pk"),
                    to_attr="theme_figures",
                ),
                Prefetch(
                    "judgements",
                    Judgement.objects.filter(area__in=theme.judgement_areas).order_by("pk"),
                    to_attr="theme_judgements",
                ),
            )
            .chronological()
        )

    def for_history_summary(self, authority: "LocalAuthority | None") -> "EventQuerySet":
        """The authority's events with what the printed history shows of each."""
        return (
            self.filter(authority=authority)
            .select_related("authority", "fulfilled_by")
            .prefetch_related(
                Prefetch("judgements", Judgement.objects.order_by("pk")),
                Prefetch(
                    "findings",
                    Finding.objects.filter(kind=FindingKind.IMPROVEMENT).order_by("order", "pk"),
                    to_attr="improvements",
                ),
                Prefetch(
                    "event_sources",
                    EventSource.objects.select_related("source").order_by("source__published_on"),
                ),
            )
            .chronological()
        )

    def still_ahead(self, day: datetime.date) -> "EventQuerySet":
        """Planned events not yet fulfilled whose stated period has not ended by `day`."""
        return self.filter(status=EventStatus.PLANNED, fulfilled_by__isnull=True).filter(
            Q(end_date__isnull=True) & dates.not_ended_condition("start_date", day)
            | Q(end_date__isnull=False) & dates.not_ended_condition("end_date", day)
        )

    def for_event_page(self) -> "EventQuerySet":
        """As for_detail(), with the plans each event fulfilled, which its page names."""
        return self.for_detail().prefetch_related(
            models.Prefetch("fulfils", self.model.objects.order_by("start_date", "pk"))
        )

    def for_detail(self) -> "EventQuerySet":
        return self.select_related("authority", "fulfilled_by").prefetch_related(
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
