"""The admin: where new inspection and visit outcomes are entered, usually on the day a
report is published.

Events are entered on two pages over the one table: "Graded inspections" (with a
judgement row for each area of the framework) and "Visits and milestones". Findings,
figures, statements and sources are inlines on both. Every change is recorded with
django-simple-history, and a deleted record can be restored from its history.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Prefetch, TextField, URLField
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from .admin_forms import (
    EventSourceFormSet,
    FactFormSet,
    FactInlineForm,
    FindingForm,
    FindingInlineForm,
    FormsetAutocompleteSelect,
    InspectionAdminForm,
    JudgementFormSet,
    StatementForm,
    StatementInlineForm,
    VisitAdminForm,
)
from .choices import FRAMEWORK_AREAS, EventKind, Framework, JudgementArea
from .models import (
    Event,
    EventSource,
    Figure,
    Finding,
    Inspection,
    Judgement,
    LocalAuthority,
    Person,
    Source,
    Statement,
    Theme,
    Visit,
)

logger = logging.getLogger(__name__)

DATES_FIELDS = (
    ("start_date", "start_date_precision", "start_date_approximate"),
    ("end_date", "end_date_precision", "end_date_approximate"),
    ("published_on", "published_on_precision", "published_on_approximate"),
    "date_note",
)


def titled(title: str):
    """A list filter on a related field, headed `title` (e.g. "kind of event", not "kind")."""

    class TitledFilter(admin.FieldListFilter):
        def __new__(cls, *args, **kwargs):
            instance = admin.FieldListFilter.create(*args, **kwargs)
            instance.title = title
            return instance

    return TitledFilter


def annotated(queryset, **counts):
    """`queryset` with the counts, still in the model's order: a GROUP BY query drops
    Meta.ordering, and the autocomplete pages (paginated) need an order."""
    return queryset.annotate(**counts).order_by(*queryset.model._meta.ordering)


class KindFilter(admin.SimpleListFilter):
    """The kinds of event this page shows (the visits page offers no "graded inspection")."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind, EventKind(kind).label) for kind in model_admin.kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class InUseFilter(admin.SimpleListFilter):
    """Whether anything uses the row yet, from the count the changelist annotates."""

    title = "use"
    parameter_name = "in_use"
    count: str = ""

    def lookups(self, request, model_admin):
        return [("yes", "In use"), ("no", "Not used yet")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.count}__gt": 0})
        if self.value() == "no":
            return queryset.filter(**{self.count: 0})
        return queryset


class SharedAutocompleteMixin:
    """Autocomplete widgets that look up the chosen options once per inline, not per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = FormsetAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HistoryAdmin(SharedAutocompleteMixin, SimpleHistoryAdmin):
    """Every page records its changes; deleted records are listed and can be restored."""

    object_history_list_template = "admin/inspections/object_history_list.html"
    list_per_page = 50

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        recover = path(
            "recover/",
            self.admin_site.admin_view(self.recover_list_view),
            name="{}_{}_recover".format(*info),
        )
        return [recover, *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        # Checking a form and saving it are two steps: another editor's save can land in
        # between (the same monitoring-visit number, the same generated address). The
        # database refused this save and rolled all of it back; checking again now sees
        # their record, so the form comes back with the usual message and what was typed.
        logger.warning("Save of %s clashed with another save; checking it again", self.opts)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            logger.exception("Save of %s refused by the database twice", self.opts)
        self.message_user(
            request,
            "Nothing was saved: the database refused this change because it clashes with a "
            "record saved at the same moment. Reload the page, check the record and try again.",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["recover_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_recover"
            )
        return super().changelist_view(request, extra_context)

    def deleted_history(self, request):
        """The last history row of each deleted record this page shows, newest first."""
        model = self.model._meta.concrete_model
        rows = (
            model.history.filter(history_type="-")
            .exclude(id__in=model._base_manager.values("pk"))
            ._select_related_history_tracked_objs()
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        seen, latest = set(), []
        for row in rows[:500]:
            if row.id not in seen and self.recoverable(row):
                seen.add(row.id)
                row.object_label = str(recorded_instance(row))
                latest.append(row)
        return latest

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        for record in historical_records:
            record.object_label = str(recorded_instance(record))

    def recoverable(self, history_row) -> bool:
        return True

    def recover_list_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "rows": self.deleted_history(request),
            "can_restore": self.has_add_permission(request),
        }
        return render(request, "admin/inspections/recover_list.html", context)

    def history_view(self, request, object_id, extra_context=None):
        require_number(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        require_number(object_id, version_id)
        # simple-history saves a posted version for anyone who may view the record;
        # restoring is changing (or, for a deleted record, adding) it.
        if request.method == "POST":
            exists = self.model._base_manager.filter(pk=unquote(object_id)).exists()
            if exists:
                allowed = self.has_change_permission(request)
            else:
                allowed = self.has_add_permission(request)
            if not allowed:
                raise PermissionDenied
            request.history_revert = "reverted to an earlier version" if exists else "restored"
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(request, "history_revert", None) == "restored":
            self.restore_related(request, obj)

    def response_change(self, request, obj):
        revert = getattr(request, "history_revert", None)
        if revert is None:
            return super().response_change(request, obj)
        self.message_user(request, f"“{obj}” was {revert} from its history.", messages.SUCCESS)
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))

    def restore_related(self, request, obj):
        """Restore the rows deleted together with `obj` (hook for events)."""


def require_number(*values):
    """simple-history looks these up as they come: a mistyped address would be a 500."""
    if not all(unquote(str(value)).isdigit() for value in values):
        raise Http404("No such record.")


def recorded_instance(record):
    """The record's object as it was, with the related rows its history query fetched
    (so that its str() costs no query)."""
    instance = record.history_object
    for field in instance._meta.concrete_fields:
        if field.is_relation and field.name in record._state.fields_cache:
            instance._state.fields_cache[field.name] = record._state.fields_cache[field.name]
    return instance


class FactInline(SharedAutocompleteMixin, admin.TabularInline):
    formset = FactFormSet
    form = FactInlineForm
    extra = 1
    show_change_link = True
    formfield_overrides = {TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})}}
    #: What each row's str() needs, so that the rows cost one query between them.
    list_select_related: tuple = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # In a row of a table only "add another" earns its place beside a chooser.
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_change_related = False
            formfield.widget.can_delete_related = False
            formfield.widget.can_view_related = False
        return formfield

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class EventSourceInline(FactInline):
    model = EventSource
    form = forms.ModelForm  # the source is required on every row
    formset = EventSourceFormSet
    fields = ("source", "contribution")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "event")
    verbose_name = "source"
    verbose_name_plural = "Sources (at least one: where this record comes from)"
    show_change_link = False


class JudgementInline(FactInline):
    model = Judgement
    formset = JudgementFormSet
    fields = ("area", "grade", "source")
    autocomplete_fields = ("source",)
    verbose_name_plural = "Judgements (one row for each area of the framework)"

    def get_extra(self, request, obj=None, **kwargs):
        return len(areas_to_offer(request, obj))


class FindingInline(FactInline):
    model = Finding
    form = FindingInlineForm
    fields = ("kind", "text", "theme", "source")
    autocomplete_fields = ("theme", "source")

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1


class FigureInline(FactInline):
    model = Figure
    fields = ("label", "value", "unit", "qualifier", "theme", "source")
    autocomplete_fields = ("theme", "source")
    classes = ("collapse",)


class StatementInline(FactInline):
    model = Statement
    form = StatementInlineForm
    fields = ("person", "role", "text", "source")
    autocomplete_fields = ("person", "source")
    list_select_related = ("person",)
    classes = ("collapse",)


def areas_to_offer(request, obj) -> list[JudgementArea]:
    """The framework's areas that have no judgement yet: all of them for a new inspection."""
    if obj is None or obj.pk is None:
        framework = request.GET.get("framework", "")
        framework = Framework(framework) if framework in Framework.values else Framework.ILACS
        return list(FRAMEWORK_AREAS[framework])
    if obj.framework not in Framework.values:
        return []
    # Asked twice per page (how many rows, and what is in them): look up once.
    cache = request.__dict__.setdefault("judged_areas", {})
    if obj.pk not in cache:
        cache[obj.pk] = set(obj.judgements.values_list("area", flat=True))
    judged = cache[obj.pk]
    return [area for area in FRAMEWORK_AREAS[Framework(obj.framework)] if area not in judged]


class EventAdminBase(HistoryAdmin):
    object_history_template = "admin/inspections/event_history.html"
    date_hierarchy = "start_date"
    search_fields = ("title", "summary", "slug", "date_note")
    list_select_related = ("authority",)
    prepopulated_fields = {"slug": ("title",)}
    save_on_top = True
    kinds: list[str] = []

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__in=self.kinds)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "authority" not in initial:
            authorities = list(LocalAuthority.objects.values_list("pk", flat=True)[:2])
            if len(authorities) == 1:
                initial["authority"] = authorities[0]
        return initial

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    @admin.display(description="Dates", ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    @admin.display(description="Published", ordering="published_on")
    def published(self, obj):
        return obj.published_display if obj.published_on else "–"

    def save_formset(self, request, form, formset, change):
        if formset.model is EventSource or "source" not in formset.form.base_fields:
            return super().save_formset(request, form, formset, change)
        default_source = None
        for fact in formset.save(commit=False):
            if fact.source_id is None:
                default_source = default_source or first_source_id(form.instance)
                fact.source_id = default_source
            fact.save()
        for fact in formset.deleted_objects:
            fact.delete()
        formset.save_m2m()

    def recoverable(self, history_row):
        return history_row.kind in self.kinds

    def history_view(self, request, object_id, extra_context=None):
        require_number(object_id)
        extra_context = {
            **(extra_context or {}),
            "fact_history": fact_history(unquote(object_id)),
        }
        return super().history_view(request, object_id, extra_context)

    def restore_related(self, request, obj):
        """Deleting an event deletes its source links with it: bring those back too."""
        existing = EventSource.objects.filter(event=obj).values_list("pk", flat=True)
        deleted = EventSource.history.filter(event_id=obj.pk, history_type="-").exclude(
            id__in=existing
        )
        restored = set()
        for row in deleted.order_by("-history_date"):
            if row.id not in restored:
                restored.add(row.id)
                row.instance.save()


FACT_MODELS = (EventSource, Judgement, Finding, Figure, Statement)


def fact_history(event_id, limit=100):
    """The latest changes to an event's sources, judgements, findings, figures and
    statements, newest first: edits made in the inlines of the event's page."""
    records = []
    for model in FACT_MODELS:
        rows = (
            model.history.filter(event_id=event_id)
            ._select_related_history_tracked_objs()
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:limit]
        )
        seen = set()
        for record in rows:
            record.object_label = str(recorded_instance(record))
            record.fact_opts = model._meta
            # Newest first: a record's first row here is its latest state.
            record.still_deleted = record.history_type == "-" and record.id not in seen
            seen.add(record.id)
            records.append(record)
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[:limit]


def first_source_id(event):
    return (
        EventSource.objects.filter(event=event)
        .order_by("pk")
        .values_list("source_id", flat=True)
        .first()
    )


@admin.register(Inspection)
class InspectionAdmin(EventAdminBase):
    form = InspectionAdminForm
    kinds = [EventKind.INSPECTION]
    inlines = [EventSourceInline, JudgementInline, FindingInline, FigureInline, StatementInline]
    list_display = (
        "title",
        "dates",
        "framework_short",
        "inspection_type",
        "overall_grade",
        "published",
        "status",
    )
    list_filter = ("framework", "inspection_type", "status", "authority")
    fieldsets = (
        (None, {"fields": ("authority", "title", "slug", "summary", "status")}),
        ("Inspection", {"fields": ("framework", "inspection_type")}),
        ("Dates", {"fields": DATES_FIELDS}),
    )

    def get_queryset(self, request):
        overall = Judgement.objects.filter(area=JudgementArea.OVERALL)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("judgements", overall, to_attr="overall_judgements"))
        )

    @admin.display(description="Framework", ordering="framework")
    def framework_short(self, obj):
        return Framework(obj.framework).name if obj.framework in Framework.values else "–"

    @admin.display(description="Overall grade")
    def overall_grade(self, obj):
        judgements = getattr(obj, "overall_judgements", None)
        return judgements[0].get_grade_display() if judgements else "–"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("framework", Framework.ILACS)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        framework_field = form.base_fields.get("framework")
        if framework_field is not None and obj is None:
            offered = request.GET.get("framework")
            offered = offered if offered in Framework.values else Framework.ILACS
            other = Framework.SIF if offered == Framework.ILACS else Framework.ILACS
            framework_field.help_text = format_html(
                "The judgement rows below are the areas of {}. For an inspection under the "
                'other framework, <a href="?framework={}">start with the {} areas</a>.',
                Framework(offered).label,
                other.value,
                other.name,
            )
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, JudgementInline):
            kwargs["initial"] = [{"area": area} for area in areas_to_offer(request, obj)]
        return kwargs


@admin.register(Visit)
class VisitAdmin(EventAdminBase):
    form = VisitAdminForm
    kinds = [kind for kind in EventKind.values if kind != EventKind.INSPECTION]
    inlines = [EventSourceInline, FindingInline, FigureInline, StatementInline]
    list_display = (
        "title",
        "kind",
        "number",
        "dates",
        "published",
        "finding_count",
        "status",
    )
    list_filter = (KindFilter, "status", "authority")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "authority",
                    "kind",
                    "sequence_number",
                    "title",
                    "slug",
                    "summary",
                    "status",
                )
            },
        ),
        ("Dates", {"fields": DATES_FIELDS}),
    )

    def get_queryset(self, request):
        return annotated(super().get_queryset(request), finding_count=Count("findings"))

    @admin.display(description="Findings", ordering="finding_count")
    def finding_count(self, obj):
        return obj.finding_count

    @admin.display(description="No.", ordering="sequence_number")
    def number(self, obj):
        return obj.sequence_number or "–"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", EventKind.MONITORING_VISIT)
        return initial


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    """Every event in one list, for searching; each opens on its own kind's page."""

    list_display = ("title", "kind", "dates", "status", "authority")
    list_filter = ("kind", "status", "authority")
    list_select_related = ("authority",)
    search_fields = ("title", "summary", "slug")
    date_hierarchy = "start_date"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Dates", ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        if event is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        page = "inspection" if event.kind == EventKind.INSPECTION else "visit"
        return HttpResponseRedirect(reverse(f"admin:inspections_{page}_change", args=[event.pk]))


class FactAdmin(HistoryAdmin):
    """A finding, judgement, figure or statement on its own page (it is usually entered
    inline on its event's page)."""

    date_hierarchy = "event__start_date"
    autocomplete_fields = ("event", "source")

    def view_on_site(self, obj):
        return obj.event.get_absolute_url()

    @admin.display(description="Event", ordering="event__start_date")
    def event_title(self, obj):
        return obj.event.title


@admin.register(Finding)
class FindingAdmin(FactAdmin):
    form = FindingForm
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
    form = StatementForm
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


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    # An address typed without a scheme is a web page: https, as Django 6 will assume.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}
    list_display = ("title", "kind", "publisher", "date_shown", "seed_file")
    list_filter = ("kind", "publisher")
    search_fields = ("title", "publisher", "author", "seed_file", "url")
    date_hierarchy = "published_on"
    fieldsets = (
        (None, {"fields": ("title", "kind", "publisher", "author", "url", "seed_file")}),
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


class ThemeInUse(InUseFilter):
    count = "finding_count"


class PersonInUse(InUseFilter):
    count = "statement_count"


class AuthorityInUse(InUseFilter):
    count = "event_count"


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
