"""The admin: where new inspection and visit outcomes are entered, usually on the day a
report is published, and where sources, themes, people and authorities are kept.

The event pages (graded inspections, visits and milestones) are in admin/events.py, the
history and restore machinery in admin/history.py, the forms in admin/forms.py. Every
change is recorded with django-simple-history, and a deleted record can be restored.
"""

from django.contrib import admin
from django.db.models import Count, F, URLField
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from ..models import (
    EventSource,
    Figure,
    Finding,
    Judgement,
    LocalAuthority,
    Person,
    Source,
    Statement,
    Theme,
)
from .filters import AuthorityInUse, PersonInUse, ThemeInUse, annotated, titled
from .forms import AdminModelForm
from .history import HistoryAdmin


class FactAdmin(HistoryAdmin):
    """A finding, judgement, figure or statement on its own page (it is usually entered
    inline on its event's page)."""

    date_hierarchy = "event__start_date"
    ordering = ("-event__start_date", "-pk")  # newest first
    autocomplete_fields = ("event", "source")

    def view_on_site(self, obj):
        return obj.event.get_absolute_url()

    @admin.display(description="Event", ordering="event__start_date")
    def event_title(self, obj):
        return obj.event.title


@admin.register(Finding)
class FindingAdmin(FactAdmin):
    form = AdminModelForm
    list_display = ("short_text", "kind", "theme", "event_title", "source")
    list_select_related = ("event", "theme", "source")
    list_filter = ("kind", "theme", ("event__kind", titled("kind of event")))
    search_fields = ("text", "event__title", "theme__name")
    autocomplete_fields = ("event", "theme", "source")
    fields = ("event", "kind", "text", "theme", "source", "order")

    @admin.display(description="Finding", ordering="text")
    def short_text(self, obj):
        return truncatechars(obj.text, 90)


@admin.register(Judgement)
class JudgementAdmin(FactAdmin):
    list_display = ("event_title", "area", "grade", "source")
    list_select_related = ("event", "source")
    list_filter = ("grade", "area", ("event__framework", titled("framework")))
    search_fields = ("event__title",)
    fields = ("event", "area", "grade", "source")


@admin.register(Figure)
class FigureAdmin(FactAdmin):
    list_display = ("label", "value_shown", "theme", "event_title", "source")
    list_select_related = ("event", "theme", "source")
    list_filter = ("unit", "qualifier", "theme")
    search_fields = ("label", "event__title")
    autocomplete_fields = ("event", "theme", "source")
    fields = ("event", "label", "value", "unit", "qualifier", "theme", "source", "order")

    @admin.display(description="Value", ordering="value")
    def value_shown(self, obj):
        return obj.value_display


@admin.register(Statement)
class StatementAdmin(FactAdmin):
    form = AdminModelForm
    list_display = ("person", "role", "short_text", "event_title", "source")
    list_select_related = ("event", "person", "source")
    list_filter = ("person",)
    search_fields = ("text", "person__name", "role", "event__title")
    autocomplete_fields = ("event", "person", "source")
    fields = ("event", "person", "role", "text", "source", "order")

    @admin.display(description="What was said", ordering="text")
    def short_text(self, obj):
        return truncatechars(obj.text, 90)


@admin.register(EventSource)
class EventSourceAdmin(FactAdmin):
    list_display = ("event_title", "source", "contribution")
    list_select_related = ("event", "source")
    list_filter = (
        ("source__kind", titled("kind of source")),
        ("event__kind", titled("kind of event")),
    )
    search_fields = ("event__title", "source__title", "contribution")
    fields = ("event", "source", "contribution")

    def get_deleted_objects(self, objs, request):
        """Refuse, on Django's own confirmation page, to delete an event's last source:
        a public event must always say where it comes from."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for event in EventSource.objects.events_left_without_source([o.pk for o in objs]):
            protected.append(
                f"The event “{event.title}” would cite no source: add another source to it "
                "first (on its page), or delete the event itself."
            )
        return deleted, counts, perms_needed, protected


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    # An address typed without a scheme is a web page: https, as Django 6 will assume.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    ordering = (F("published_on").desc(nulls_last=True), "title")  # newest first
    list_display = ("title", "kind", "publisher", "date_shown")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "author", "url")
    date_hierarchy = "published_on"
    fieldsets = (
        (None, {"fields": ("title", "kind", "publisher", "author", "url")}),
        (
            "Date",
            {
                "fields": (
                    ("published_on", "published_on_precision", "published_on_approximate"),
                    "date_note",
                )
            },
        ),
    )

    @admin.display(description="Published", ordering="published_on")
    def date_shown(self, obj):
        return obj.date_display

    def view_on_site(self, obj):
        return reverse("inspections:sources") + f"#source-{obj.pk}"


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ("name", "slug", "finding_count")
    list_filter = (ThemeInUse,)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return annotated(super().get_queryset(request), finding_count=Count("findings"))

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    @admin.display(description="Findings", ordering="finding_count")
    def finding_count(self, obj):
        return obj.finding_count


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ("name", "statement_count")
    list_filter = (PersonInUse,)
    search_fields = ("name",)

    def get_queryset(self, request):
        return annotated(super().get_queryset(request), statement_count=Count("statements"))

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj):
        return obj.statement_count


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(HistoryAdmin):
    list_display = ("name", "slug", "event_count")
    list_filter = (AuthorityInUse,)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return annotated(super().get_queryset(request), event_count=Count("events"))

    @admin.display(description="Events", ordering="event_count")
    def event_count(self, obj):
        return obj.event_count

    def view_on_site(self, obj):
        return reverse("inspections:timeline")
