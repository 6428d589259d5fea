"""Forms behind the admin: friendly messages for every mistake an admin can make.

The models' clean() methods and constraints are the last word; these forms add the checks
that need more than one row (two judgements for one area, a record with no source), fill
in what can be worked out (the page address, a fact's source), and keep the number of
queries per page fixed however many rows an inline has.
"""

from collections import Counter

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify

from ..choices import FRAMEWORK_AREAS, EventKind, Framework, JudgementArea
from ..models import Event, LocalAuthority

SOURCE_DEFAULT_HELP = "Leave blank to cite this record's first source."


class ChosenLabels:
    """The labels of the options chosen in one field across a whole formset.

    An autocomplete widget renders only the option that is chosen, but it looks that
    option up with one query per row. This looks up every row's choice in one query.
    """

    def __init__(self, formset, name):
        self.formset = formset
        self.name = name
        self._labels = None

    def __call__(self) -> dict[str, str]:
        if self._labels is None:
            field = self.formset.forms[0].fields[self.name] if self.formset.forms else None
            chosen = set()
            for form in self.formset.forms:
                value = form[self.name].value()
                if value not in (None, ""):
                    chosen.add(str(value))
            self._labels = {}
            if field is not None and chosen:
                valid = {value for value in chosen if value.isdigit()}
                for obj in field.queryset.filter(pk__in=valid):
                    self._labels[str(obj.pk)] = field.label_from_instance(obj)
        return self._labels


class FormsetAutocompleteSelect(AutocompleteSelect):
    """AutocompleteSelect that takes its chosen option's label from a ChosenLabels."""

    chosen_labels: ChosenLabels | None = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        labels = self.chosen_labels() if self.chosen_labels else None
        if labels is None or any(v not in labels for v in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for choice in selected[:1]:
            options.append(self.create_option(name, choice, labels[choice], True, len(options)))
        return [(None, options, 0)]


class SharedAutocompleteMixin:
    """Autocomplete widgets that look up the chosen options once per inline, not per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = FormsetAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FactFormSet(BaseInlineFormSet):
    """An inline formset whose autocomplete fields share one label look-up each."""

    def __init__(self, *args, report_source_pending: bool = False, **kwargs):
        # An inspection added from a report cites the report, which is saved with it.
        self.report_source_pending = report_source_pending
        super().__init__(*args, **kwargs)
        shared = {}
        for form in self.forms:
            for name, field in form.fields.items():
                widget = getattr(field.widget, "widget", field.widget)
                if isinstance(widget, FormsetAutocompleteSelect):
                    widget.chosen_labels = shared.setdefault(name, ChosenLabels(self, name))

    def kept_forms(self):
        """The forms that will be saved: filled in and not marked for deletion."""
        return [
            form
            for form in self.forms
            if form not in self.deleted_forms
            and (form.has_changed() or form.instance.pk is not None)
            and hasattr(form, "cleaned_data")
        ]


class EventSourceFormSet(FactFormSet):
    """At least one source for every event, and each source once."""

    def clean(self):
        if any(self.errors):
            return
        kept = [form for form in self.kept_forms() if form.cleaned_data.get("source")]
        if not kept and not self.report_source_pending:
            raise ValidationError(
                "Add at least one source: every record must say which article or report "
                "it comes from. Choose it in the Sources rows below.",
                code="no_source",
            )
        counts = Counter(form.cleaned_data["source"] for form in kept)
        twice = [str(source) for source, count in counts.items() if count > 1]
        if twice:
            raise ValidationError(
                f"“{twice[0]}” is listed more than once. List each source once.",
                code="duplicate_source",
            )


class JudgementFormSet(FactFormSet):
    """One judgement per area, and only the areas of the inspection's framework."""

    def clean(self):
        if any(self.errors):
            return
        kept = [form for form in self.kept_forms() if form.cleaned_data.get("area")]
        counts = Counter(form.cleaned_data["area"] for form in kept)
        twice = [area for area, count in counts.items() if count > 1]
        errors = [
            f"There are two judgements for “{JudgementArea(area).label}”. "
            "Keep one judgement for each area."
            for area in twice
        ]
        framework = getattr(self.instance, "framework", "")
        if framework in Framework.values:
            allowed = FRAMEWORK_AREAS[Framework(framework)]
            for area in counts:
                if area not in allowed:
                    errors.append(
                        f"“{JudgementArea(area).label}” is not judged under "
                        f"{Framework(framework).label}. Its areas are: "
                        + "; ".join(a.label for a in allowed)
                        + "."
                    )
        if errors:
            raise ValidationError(errors)


class SourceDefaultsMixin:
    """A fact's source may be left blank in an inline: the admin fills in the record's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "source" in self.fields:
            self.fields["source"].required = False
            self.fields["source"].help_text = SOURCE_DEFAULT_HELP


def stored_values(instance: models.Model) -> dict[str, str]:
    """The record's fields as text, as they are stored (the pk aside)."""
    return {
        field.name: field.value_to_string(instance)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


class AdminModelForm(forms.ModelForm):
    """The base of every admin form.

    - A required field left empty gets the message its model field gives ("Enter the text
      of the finding."), so that each message is written once, on the model.
    - A change form remembers, signed, the record as it was when the page was opened
      (`opened_as`). If someone else saved the record since, saving is refused with what
      they changed, and what this editor typed stays on the form: the second of two
      editors working on the same record no longer silently undoes the first one's work.
    """

    opened_as = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_opts = self._meta.model._meta
        generic = models.Field.default_error_messages["blank"]
        for name, field in self.fields.items():
            try:
                message = model_opts.get_field(name).error_messages.get("blank")
            except FieldDoesNotExist:
                continue
            if message and message != generic:
                field.error_messages["required"] = message
        if self.instance.pk is not None:
            self.initial["opened_as"] = signing.dumps(stored_values(self.instance))

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_as")
        if self.instance.pk is None or not opened:
            return cleaned
        try:
            then = signing.loads(opened)
        except signing.BadSignature:
            then = {}
        # The instance was read from the database at the start of this request, before
        # the form's values are put on it: it is the record as stored now.
        now = stored_values(self.instance)
        changed = [name for name in now if then.get(name) != now[name]]
        if changed:
            raise ValidationError(stale_message(self.instance, changed, then, now))
        return cleaned


def stale_message(instance, changed: list[str], then: dict, now: dict) -> str:
    opts = instance._meta
    parts = [
        f"{opts.get_field(name).verbose_name.capitalize()}: “{then.get(name, '')}” is now "
        f"“{now[name]}”"
        for name in changed
    ]
    return (
        f"Someone else saved this {opts.verbose_name} after you opened it, so your changes "
        f"were not saved. What they changed: {'; '.join(parts)}. Your changes are still on "
        "the form: open the record again in a new tab to see theirs, then make yours again."
    )


class FactInlineForm(SourceDefaultsMixin, AdminModelForm):
    def has_changed(self) -> bool:
        """A row filled in from a report is saved even if the editor left it as it was."""
        return super().has_changed() or bool(self.initial.get("from_report"))


class EventAdminForm(AdminModelForm):
    """Shared by the inspection and the visit pages."""

    #: The kind every record entered on this page has, or None when the admin chooses.
    fixed_kind: EventKind | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fixed_kind is not None:
            self.instance.kind = self.fixed_kind
        for name in ("title", "summary", "slug"):
            if name in self.fields:
                # The admin's own class for a wide box: titles and summaries are long.
                self.fields[name].widget.attrs["class"] = "vLargeTextField"
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = (
                "The readable part of the page address. Leave blank to make one from the title."
            )

    def clean(self):
        cleaned = super().clean()
        self.hold_authority(cleaned.get("authority"))
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = self.unique_slug(cleaned["title"], cleaned.get("start_date"))
        return cleaned

    @staticmethod
    def hold_authority(authority: LocalAuthority | None) -> None:
        """Lock the authority's row until this save commits (PostgreSQL; SQLite takes its
        write lock when the admin's transaction begins, see settings.py).

        Checking a form and saving it are two steps: another editor's save of the same
        authority's next monitoring visit could land in between and the database would
        refuse the second. Holding the row makes the second save wait for the first, so
        its checks (the monitoring-visit number, the page address) see the first one's
        record and the editor gets the usual message on the form, with what they typed.
        """
        if authority is not None and transaction.get_connection().in_atomic_block:
            list(LocalAuthority.objects.select_for_update().filter(pk=authority.pk).values("pk"))

    def unique_slug(self, title: str, start_date) -> str:
        base = slugify(title)[:100].strip("-") or "event"
        taken = set(
            Event.objects.filter(slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        candidates = [base]
        if start_date:
            candidates.append(f"{base}-{start_date:%Y-%m}")
        candidates += [f"{base}-{n}" for n in range(2, 1000)]
        return next(slug for slug in candidates if slug not in taken)


class InspectionAdminForm(EventAdminForm):
    fixed_kind = EventKind.INSPECTION


class VisitAdminForm(EventAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sequence_number" in self.fields:
            self.fields["sequence_number"].label = "Monitoring visit number"
        if "kind" in self.fields:
            self.fields["kind"].choices = [
                choice for choice in EventKind.choices if choice[0] != EventKind.INSPECTION
            ]
            self.fields["kind"].help_text = (
                "Graded inspections are entered on the “Graded inspections” page, "
                "with their judgements."
            )
