"""List filters and changelist helpers shared by the admin pages."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import DataError

from ..choices import EventKind


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


class ThemeInUse(InUseFilter):
    count = "finding_count"


class PersonInUse(InUseFilter):
    count = "statement_count"


class AuthorityInUse(InUseFilter):
    count = "event_count"


class DateSafeChangeList(ChangeList):
    """A changelist that answers every filter it cannot use with Django's own "bad
    parameters" redirect (`?e=1`), never a 500.

    Django turns `?start_date__year=abc` into that redirect, but some values pass its
    check and fail later: a year too big for a date (`?start_date__year=99999999999999999999`)
    or the month after December 9999 raises OverflowError or ValueError while the
    filters are built or the query is compiled, and a value the database refuses
    (a number too big for SQLite's integers, a bad regular expression) fails only when
    the rows are counted.
    """

    unusable = (OverflowError, ValueError, DataError)

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except self.unusable as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            # Compiled here, without a query, so that a date bound that cannot exist
            # fails inside Django's check rather than when the page counts the rows.
            queryset.query.get_compiler(queryset.db, elide_empty=False).as_sql()
        except self.unusable as error:
            raise IncorrectLookupParameters(error) from error
        return queryset

    def get_results(self, request):
        try:
            super().get_results(request)
        except (OverflowError, DataError) as error:
            raise IncorrectLookupParameters(error) from error
