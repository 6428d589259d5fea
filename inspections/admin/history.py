"""Who changed what, in the admin: the history pages, the list of deleted records, and
restoring a record (with what was deleted together with it) from its history.

django-simple-history records every change (see history.py); this module is the admin's
side of it. Every admin page in the app extends HistoryAdmin.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from ..models import EventSource, Figure, Finding, Judgement, Statement
from .filters import DateSafeChangeList
from .forms import AdminModelForm, SharedAutocompleteMixin


def tracked_foreign_keys(historical_model) -> list[str]:
    """The names of the history-tracked foreign keys, so that a history list can fetch
    what each row's str() needs in the same query."""
    return [
        field.name
        for field in historical_model.tracked_fields
        if isinstance(field, models.ForeignKey)
    ]


def with_opened_as(fieldsets):
    (name, options), *rest = fieldsets
    fields = [field for field in options["fields"] if field != "opened_as"]
    return [(name, {**options, "fields": [*fields, "opened_as"]}), *rest]


class HistoryAdmin(SharedAutocompleteMixin, SimpleHistoryAdmin):
    """Every page records its changes; deleted records are listed and can be restored."""

    form = AdminModelForm
    object_history_list_template = "admin/inspections/object_history_list.html"
    list_per_page = 50

    def get_changelist(self, request, **kwargs):
        return DateSafeChangeList

    def get_fieldsets(self, request, obj=None):
        """Every change form carries the record as it was opened (AdminModelForm)."""
        return with_opened_as(super().get_fieldsets(request, obj))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        recover = path(
            "recover/",
            self.admin_site.admin_view(self.recover_list_view),
            name="{}_{}_recover".format(*info),
        )
        return [recover, *super().get_urls()]

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
            .select_related(*tracked_foreign_keys(model.history.model))
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


def restore_event_sources(event) -> None:
    """Deleting an event deletes its source links with it: bring those back too."""
    existing = EventSource.objects.filter(event=event).values_list("pk", flat=True)
    deleted = EventSource.history.filter(event_id=event.pk, history_type="-").exclude(
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
            .select_related(*tracked_foreign_keys(model.history.model))
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
