"""The filters and the order of the list of councils: a plain GET form, like the timeline's.

The councils are few (153 in England), and every page needs all of them for the spread of
grades anyway, so the list is narrowed and sorted here in Python, from the rows that
inspections/councils/grades.py reads in two queries. What the filters look at, each council's row
of the table and every order are worked out once per data version (a CouncilTable), so
that choosing the rows of an address is a pass over plain values, with no query and no template.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django import forms
from django.http import QueryDict

from ..choices import Grade, JudgementArea, Region
from .grades import TABLE_AREAS, CouncilGrades

ANY = [("", "Any")]
NAME, REGION, INSPECTED = "name", "region", "inspected"
# Every column can order the table: its key in ?sort= (with "-" for the other way).
SORT_COLUMNS = {
    NAME: "Council",
    REGION: "Region",
    INSPECTED: "Last inspected",
    **{area.value: area.short_label for area in TABLE_AREAS},
}
SORT_CHOICES = [
    choice
    for key, label in SORT_COLUMNS.items()
    for choice in ((key, label), (f"-{key}", f"{label}, the other way"))
]


@dataclass(frozen=True)
class Column:
    """A column heading of the table: a link that orders the table by it."""

    key: str
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"
    area: bool


class ListedCouncil(NamedTuple):
    """A council as the list's filters see it, with its row of the table drawn."""

    region: str
    overall: str  # a Grade's value, or "" when not inspected since 2018
    name: str
    row: str  # the row's markup


@dataclass(frozen=True)
class CouncilTable:
    """The councils of the list, and each order of the table as positions in `councils`."""

    councils: list[ListedCouncil]
    orders: dict[str, list[int]]  # by every value of ?sort=


def council_table(
    councils: list[CouncilGrades], draw_row: Callable[[CouncilGrades], str]
) -> CouncilTable:
    """`councils` as a CouncilTable, each row drawn by `draw_row`."""
    position = {id(council): n for n, council in enumerate(councils)}
    return CouncilTable(
        councils=[
            ListedCouncil(c.authority.region, c.overall or "", c.name, draw_row(c))
            for c in councils
        ],
        orders={
            order: [position[id(c)] for c in ordered(councils, order)]
            for order, _label in SORT_CHOICES
        },
    )


class CouncilFilters(forms.Form):
    q = forms.CharField(label="Council name contains", max_length=100, required=False, strip=True)
    region = forms.ChoiceField(label="Region", choices=ANY + Region.choices, required=False)
    grade = forms.ChoiceField(
        label="Latest overall grade", choices=ANY + Grade.choices, required=False
    )
    sort = forms.ChoiceField(
        label="Order", choices=SORT_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, data=None, **kwargs):
        # An unbound form has no errors; an empty query string means "no filters".
        super().__init__(data if data else None, **kwargs)
        # Every message is set before self.errors first validates the form.
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                f"{field.label}: that value is not one of the options. Choose one from the list."
            )
        self.fields["sort"].error_messages["invalid_choice"] = (
            "Order: the table cannot be ordered that way, so it is in order of name."
        )
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"filter-{name}"
            if isinstance(field.widget, forms.HiddenInput):
                continue
            css = "govuk-select" if isinstance(field.widget, forms.Select) else "govuk-input"
            if self.is_bound and name in self.errors:
                css += f" {css}--error"
                field.widget.attrs["aria-describedby"] = f"filter-{name}-error"
            field.widget.attrs["class"] = css

    @property
    def active(self) -> dict:
        """The filters that are valid and set (the order is not a filter)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value and name != "sort" and name not in self.errors
        }

    @property
    def order(self) -> str:
        """The valid ?sort=, or the name."""
        if self.is_bound:
            self.is_valid()
            if "sort" not in self.errors and self.cleaned_data.get("sort"):
                return self.cleaned_data["sort"]
        return NAME

    def councils(self, table: CouncilTable) -> list[ListedCouncil]:
        """The councils of `table` matching every valid filter, in the chosen order;
        invalid filters are ignored (and reported)."""
        active = self.active
        councils = [table.councils[n] for n in table.orders[self.order]]
        if region := active.get("region"):
            councils = [c for c in councils if c.region == region]
        if grade := active.get("grade"):
            councils = [c for c in councils if c.overall == grade]
        if text := active.get("q"):
            councils = [c for c in councils if text.casefold() in c.name.casefold()]
        return councils

    def columns(self, query: QueryDict) -> list[Column]:
        """The table's headings, each linking to the table ordered by it: the other way
        round if it is already ordered by it."""
        order = self.order
        key, descending = order.removeprefix("-"), order.startswith("-")
        columns = []
        for column, label in SORT_COLUMNS.items():
            linked = query.copy()
            linked.pop("page", None)
            linked["sort"] = f"-{column}" if column == key and not descending else column
            aria_sort = "none"
            if column == key:
                aria_sort = "descending" if descending else "ascending"
            area = column not in (NAME, REGION, INSPECTED)
            columns.append(Column(column, label, f"?{linked.urlencode()}", aria_sort, area))
        return columns


def ordered(councils: list[CouncilGrades], order: str) -> list[CouncilGrades]:
    """`councils` in `order` (a key of SORT_COLUMNS, with "-" for the other way). Names
    break ties; a council with no grade or date goes last, whichever the way."""
    key, descending = order.removeprefix("-"), order.startswith("-")
    by_name = sorted(councils, key=lambda c: c.name.casefold())
    if key == NAME:
        return by_name[::-1] if descending else by_name

    area = None if key in (REGION, INSPECTED) else JudgementArea(key)

    def value(council: CouncilGrades):
        if key == REGION:
            return Region(council.authority.region).label if council.authority.region else None
        if key == INSPECTED:
            return council.inspected_on
        grade = council.grade_for(area)
        # Best first: outstanding has the highest rank.
        return -Grade.rank(grade) if grade else None

    # Each council's value worked out once: a CouncilTable orders them every way at once.
    values = [(value(c), c) for c in by_name]
    known = [(v, c) for v, c in values if v is not None]
    unknown = [c for v, c in values if v is None]
    # sorted() is stable: within one value the councils stay in order of name.
    return [c for _v, c in sorted(known, key=itemgetter(0), reverse=descending)] + unknown
