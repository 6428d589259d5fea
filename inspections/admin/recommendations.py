"""The admin's "Recommendations" page: following each area for improvement through.

A recommendation is entered with its inspection (as an area for improvement); here an
editor records what became of it: dated status updates, each citing its source, and links
to later recommendations that raise the same concern, each saying what supports it. The
database refuses a link backwards in time or an update dated before its item; the models'
clean() gives the same sentences on the form first.
"""

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery, TextField
from django.template.defaultfilters import truncatechars

from ..choices import ConcernStatus, FindingKind
from ..models import ConcernLink, Recommendation, StatusUpdate
from .events import FactInline
from .forms import AdminModelForm, FactFormSet
from .history import HistoryAdmin


class StatusUpdateInline(FactInline):
    model = StatusUpdate
    form = AdminModelForm  # every update cites its own source
    formset = FactFormSet
    fk_name = "finding"
    # Stacked: a quote needs room, and six columns do not fit beside the admin's menu.
    template = "admin/edit_inline/stacked.html"
    fields = (("status", "on", "on_precision"), "quote", "note", "source")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "finding")
    show_change_link = False
    formfield_overrides = {TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 80})}}
    verbose_name = "status update"
    verbose_name_plural = (
        "Status updates (each dated, and citing the later report, visit letter or council "
        "paper that says so)"
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "on_precision":
            formfield.label = "Date precision"
        return formfield


class LaterLinkInline(FactInline):
    model = ConcernLink
    form = AdminModelForm
    formset = FactFormSet
    fk_name = "earlier"
    fields = ("later", "reason", "source")
    autocomplete_fields = ("later", "source")
    list_select_related = ("later", "source", "earlier")
    show_change_link = False
    verbose_name = "link to a later item"
    verbose_name_plural = (
        "Links to later recommendations raising the same concern (an editor's judgement: "
        "say what supports each)"
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "later":
            # A later recommendation is entered with its own inspection, not from here.
            formfield.widget.can_add_related = False
        return formfield


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    list_display = ("short_text", "council", "event_title", "theme", "current_status")
    list_select_related = ("event__authority", "theme")
    list_filter = ("theme",)
    search_fields = ("text", "event__title", "event__authority__name", "theme__name")
    ordering = ("-event__start_date", "order", "pk")
    # The recommendation itself is entered and corrected with its inspection; this page
    # records what became of it.
    fields = ("event", "theme", "text", "source")
    readonly_fields = ("event", "theme", "text", "source")
    inlines = (StatusUpdateInline, LaterLinkInline)

    def get_queryset(self, request):
        latest = StatusUpdate.objects.filter(finding=OuterRef("pk")).order_by("-on", "-pk")
        return (
            super()
            .get_queryset(request)
            .filter(kind=FindingKind.IMPROVEMENT)
            .select_related("event__authority", "theme", "source")
            .annotate(latest_status=Subquery(latest.values("status")[:1]))
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Only the inlines change here: saving the untouched finding would add an empty
        # entry to its history.
        if form.has_changed():
            super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.event.get_absolute_url()

    @admin.display(description="Recommendation", ordering="text")
    def short_text(self, obj):
        return truncatechars(obj.text, 90)

    @admin.display(description="Council", ordering="event__authority__name")
    def council(self, obj):
        return obj.event.authority.name

    @admin.display(description="Inspection or visit", ordering="event__start_date")
    def event_title(self, obj):
        return obj.event.title

    @admin.display(description="Latest status", ordering="latest_status")
    def current_status(self, obj):
        return ConcernStatus(obj.latest_status or ConcernStatus.RAISED).label
