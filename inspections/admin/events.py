"""The admin pages where inspections and visits are entered, with their facts inline.

Events are entered on two pages over the one table: "Graded inspections" (with a
judgement row for each area of the framework) and "Visits and milestones". Findings,
figures, statements and sources are inlines on both. The plain "Event" admin exists only
because Django's choosers of an event (on a finding's own page, say) search through the
admin of the concrete model: it is hidden from the index and sends each event to its page.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Count, Prefetch, TextField
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from ..choices import FRAMEWORK_AREAS, EventKind, Framework, JudgementArea
from ..models import (
    FRAMEWORK_MISSING,
    TYPE_MISSING,
    Event,
    EventSource,
    Figure,
    Finding,
    Inspection,
    Judgement,
    LocalAuthority,
    Statement,
    Visit,
)
from ..official_data.report_import import ReportForm
from .filters import KindFilter, annotated
from .forms import (
    AdminModelForm,
    EventSourceFormSet,
    FactFormSet,
    FactInlineForm,
    InspectionAdminForm,
    JudgementFormSet,
    SharedAutocompleteMixin,
    VisitAdminForm,
)
from .history import (
    HistoryAdmin,
    fact_history,
    require_number,
    restore_event_sources,
    with_opened_as,
)
from .report_import import ReportImportAdminMixin

DATES_FIELDS = (
    ("start_date", "start_date_precision", "start_date_approximate"),
    "earliest_year",
    ("end_date", "end_date_precision", "end_date_approximate"),
    ("published_on", "published_on_precision", "published_on_approximate"),
    "date_note",
)


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

    def get_fieldsets(self, request, obj=None):
        """Each row carries its record as it was opened (AdminModelForm)."""
        return with_opened_as(super().get_fieldsets(request, obj))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


class EventSourceInline(FactInline):
    model = EventSource
    form = AdminModelForm  # the source is required on every row
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
    form = FactInlineForm
    fields = ("kind", "text", "theme", "source")
    autocomplete_fields = ("theme", "source")

    def get_extra(self, request, obj=None, **kwargs):
        if obj is None and (
            report := ReportForm.recalled(request.session, request.GET.get("report"))
        ):
            return len(report.finding_rows()) + 1  # a row for every recommendation
        return 2 if obj is None else 1


class FigureInline(FactInline):
    model = Figure
    fields = ("label", "value", "unit", "qualifier", "theme", "source")
    autocomplete_fields = ("theme", "source")
    classes = ("collapse",)


class StatementInline(FactInline):
    model = Statement
    form = FactInlineForm
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
    ordering = ("-start_date", "-pk")  # newest first: the usual task is the latest outcome
    search_fields = ("title", "summary", "slug", "date_note")
    list_select_related = ("authority",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("fulfilled_by",)
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
        restore_event_sources(obj)


def first_source_id(event):
    return (
        EventSource.objects.filter(event=event)
        .order_by("pk")
        .values_list("source_id", flat=True)
        .first()
    )


@admin.register(Inspection)
class InspectionAdmin(ReportImportAdminMixin, EventAdminBase):
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
        (None, {"fields": ("authority", "title", "slug", "summary", "status", "fulfilled_by")}),
        ("Inspection", {"fields": ("framework", "inspection_type", "lead_inspector")}),
        ("Dates", {"fields": DATES_FIELDS}),
    )

    def get_queryset(self, request):
        overall = Prefetch("judgements", Judgement.objects.overall())
        return super().get_queryset(request).prefetch_related(overall)

    @admin.display(description="Framework", ordering="framework")
    def framework_short(self, obj):
        return Framework(obj.framework).name if obj.framework in Framework.values else "–"

    @admin.display(description="Overall grade")
    def overall_grade(self, obj):
        overall = obj.overall_judgement
        return overall.get_grade_display() if overall else "–"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("framework", Framework.ILACS)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A graded inspection is entered with its framework and type (the kind is not on
        # this page, so the event's constraint that asks for them is checked on saving).
        for name, message in (("framework", FRAMEWORK_MISSING), ("inspection_type", TYPE_MISSING)):
            if name in form.base_fields:
                form.base_fields[name].required = True
                form.base_fields[name].error_messages["required"] = message
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
            areas = areas_to_offer(request, obj)
            report = self.from_report(request, obj)  # the grades a report gives
            kwargs["initial"] = (
                report.judgement_rows(areas) if report else [{"area": area} for area in areas]
            )
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
                    "fulfilled_by",
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
    """The search behind the event choosers on other pages; not a page of its own.

    It is left out of the admin index: an event is entered and changed on the page of
    its kind, to which an address of this admin sends it.
    """

    # The council's name too: a plan's outcome is found by typing "West Sussex focused".
    search_fields = ("title", "summary", "slug", "authority__name")
    list_display = ("title", "kind", "start_date", "authority")
    list_select_related = ("authority",)

    def get_model_perms(self, request):
        return {}  # not listed in the index

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        if event is None:  # Django's own "not found" message and redirect
            return super().change_view(request, object_id, form_url, extra_context)
        page = "inspection" if event.kind == EventKind.INSPECTION else "visit"
        return HttpResponseRedirect(reverse(f"admin:inspections_{page}_change", args=[event.pk]))
