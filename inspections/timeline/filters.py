"""The timeline's filters: a plain GET form that narrows the events."""

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.choices import BaseChoiceIterator

from ..choices import DatePrecision, EventKind, Grade, JudgementArea
from ..models import Event, Finding, Judgement, LocalAuthority, Statement, Theme
from ..web.slugs import SlugChoiceField
from ..web.widgets import QuickSelect

ANY = [("", "Any")]


class SlugChoices(BaseChoiceIterator):
    """(slug, name) choices, read from the database the first time they are iterated.

    A BaseChoiceIterator is kept as it is by the form field and its widget, where a
    callable would be called and its list normalised again on every use (four times a
    page, for some 150 councils).
    """

    def __init__(self, model, empty_label: str):
        self.model, self.empty_label = model, empty_label
        self.loaded: list[tuple[str, str]] | None = None

    def __iter__(self):
        if self.loaded is None:
            rows = self.model.objects.order_by("name").values_list("slug", "name")
            self.loaded = [("", self.empty_label), *rows]
        return iter(self.loaded)


class TimelineFilters(forms.Form):
    authority = SlugChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All",
        required=False,
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label="Kind of event",
        choices=ANY + EventKind.choices,
        required=False,
        widget=QuickSelect,
    )
    area = forms.ChoiceField(
        label="Judgement area",
        choices=ANY + [(area.value, area.short_label) for area in JudgementArea],
        required=False,
        widget=QuickSelect,
    )
    grade = forms.ChoiceField(
        label="Grade", choices=ANY + Grade.choices, required=False, widget=QuickSelect
    )
    theme = SlugChoiceField(
        label="Theme",
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any",
        required=False,
        widget=QuickSelect,
    )
    year_from = forms.IntegerField(
        label="From year",
        min_value=1990,
        max_value=2100,
        required=False,
        widget=forms.NumberInput,
    )
    year_to = forms.IntegerField(
        label="To year", min_value=1990, max_value=2100, required=False, widget=forms.NumberInput
    )
    q = forms.CharField(
        label="Search findings and statements",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput,
    )

    def __init__(self, data=None, **kwargs):
        # An unbound form has no errors; an empty query string means "no filters".
        super().__init__(data if data else None, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = (
                    f"{field.label}: that value is not one of the options. "
                    "Choose one from the list."
                )
        # The lists of councils and themes as (slug, name) pairs, read when the form is
        # drawn: no model instance per option (a ModelChoiceField's own choices make one).
        if "authority" in self.fields:
            self.fields["authority"].choices = SlugChoices(LocalAuthority, "All")
        self.fields["theme"].choices = SlugChoices(Theme, "Any")
        for name, field in self.fields.items():
            css = "govuk-select" if isinstance(field.widget, forms.Select) else "govuk-input"
            if self.is_bound and name in self.errors:
                css += f" {css}--error"
                field.widget.attrs["aria-describedby"] = f"filter-{name}-error"
            field.widget.attrs["class"] = css
        self.fields["year_from"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["year_to"].widget.attrs.update({"inputmode": "numeric"})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and end < start:
            self.add_error("year_to", "The 'to' year must be the same as or after the 'from' year.")
        return cleaned

    @property
    def active(self) -> dict:
        """The filters that are valid and set, for 'showing N events matching …'."""
        if not self.is_bound:
            return {}
        errors = self.errors  # validates the form, the first time it is asked
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in errors
        }

    def events(self, queryset: QuerySet[Event] | None = None) -> QuerySet[Event]:
        """The events matching every valid filter; invalid filters are ignored (and reported)."""
        events = Event.objects.for_timeline() if queryset is None else queryset
        if not self.is_bound:
            return events
        self.is_valid()
        f = self.active
        if authority := f.get("authority"):
            events = events.filter(authority=authority)
        if kind := f.get("kind"):
            events = events.filter(kind=kind)
        judgement_match = Q()
        if area := f.get("area"):
            judgement_match &= Q(area=area)
        if grade := f.get("grade"):
            judgement_match &= Q(grade=grade)
        if judgement_match:
            events = events.filter(
                Exists(Judgement.objects.filter(judgement_match, event=OuterRef("pk")))
            )
        if theme := f.get("theme"):
            events = events.with_theme(theme)
        if years := within_years(f.get("year_from"), f.get("year_to")):
            events = events.filter(years)
        matching = Q()
        if theme:
            matching &= Q(theme=theme)
        if text := f.get("q"):
            events = events.filter(
                Q(title__icontains=text)
                | Q(summary__icontains=text)
                | Exists(Finding.objects.filter(event=OuterRef("pk"), text__icontains=text))
                | Exists(Statement.objects.filter(event=OuterRef("pk"), text__icontains=text))
            )
            matching &= Q(text__icontains=text)
        if matching:
            # The findings that made an event match, to show under it: one query a page.
            findings = Finding.objects.filter(matching).select_related("theme")
            events = events.prefetch_related(
                Prefetch("findings", findings.order_by("order", "pk"), to_attr="matching_findings")
            )
        return events

    @property
    def applied(self) -> list[tuple[str, str]]:
        """(label, value in words) of each filter applied: what a printed page was
        narrowed to."""
        shown = []
        for name, value in self.active.items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                text = str(value)
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))
            else:
                text = str(value)
            shown.append((field.label, text))
        return shown

    @property
    def shows_filtered(self) -> bool:
        """The visitor applied filters (valid or not): the results come first."""
        return self.is_bound and bool(self.active or self.errors)

    @property
    def years_chosen(self) -> bool:
        """A valid year range is applied (events whose year is not stated are then shown
        when they may fall in it, and marked so)."""
        return bool(self.active.get("year_from") or self.active.get("year_to"))


def within_years(year_from: int | None, year_to: int | None) -> Q:
    """Events in the years from `year_from` to `year_to` (either may be open): a stated
    year within them, or, where the source does not state the year, possible years (from
    the earliest year, when known, to the start date's) that overlap them."""
    if not year_from and not year_to:
        return Q()
    stated, unstated = Q(), Q(start_date_precision=DatePrecision.MONTH_NO_YEAR)
    if year_from:
        stated &= Q(start_date__year__gte=year_from)
        unstated &= Q(start_date__year__gte=year_from)
    if year_to:
        stated &= Q(start_date__year__lte=year_to)
        unstated &= Q(earliest_year__isnull=True) | Q(earliest_year__lte=year_to)
    return (~Q(start_date_precision=DatePrecision.MONTH_NO_YEAR) & stated) | unstated


class CouncilTimelineFilters(TimelineFilters):
    """The timeline's filters on a council's own page: the council is in the address, so
    there is no council to choose."""

    authority = None

    def __init__(self, data=None, *, council: LocalAuthority | None, **kwargs):
        self.council = council
        super().__init__(data, **kwargs)

    def events(self, queryset: QuerySet[Event] | None = None) -> QuerySet[Event]:
        """The council's events matching every valid filter (none without a council)."""
        return super().events(queryset).filter(authority=self.council)
