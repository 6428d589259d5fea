"""Two graded inspections of one council, area by area, for a printed page.

The Single Inspection Framework (SIF, 2013 to 2017) and ILACS (from 2018) name and divide
their areas differently, and ILACS split "children in care and care leavers" into two
judgements in January 2023. Each row below pairs the areas that are about the same
children, says how they correspond, and what changed between the two inspections.
"""

from dataclasses import dataclass

from django import forms

from ..choices import EventKind, EventStatus, Grade, JudgementArea
from ..models import Event, Judgement, LocalAuthority
from ..timeline.summaries import SourceNumbers

A = JudgementArea


@dataclass(frozen=True)
class Correspondence:
    label: str
    areas: frozenset[str]
    note: str


CORRESPONDENCES = (
    Correspondence(
        "Overall effectiveness",
        frozenset({A.OVERALL}),
        "Judged under both frameworks.",
    ),
    Correspondence(
        "Help and protection",
        frozenset({A.SIF_HELP_AND_PROTECTION, A.HELP_AND_PROTECTION}),
        "The SIF's “children who need help and protection”; under ILACS, “the experiences "
        "and progress of children who need help and protection”.",
    ),
    Correspondence(
        "Children in care",
        frozenset({A.SIF_LOOKED_AFTER, A.CHILDREN_IN_CARE_AND_CARE_LEAVERS, A.CHILDREN_IN_CARE}),
        "The SIF's “children looked after and achieving permanence”. ILACS judged children "
        "in care and care leavers together until January 2023, and separately since: a "
        "joint grade is compared with each of the two.",
    ),
    Correspondence(
        "Care leavers",
        frozenset({A.SIF_CARE_LEAVERS, A.CHILDREN_IN_CARE_AND_CARE_LEAVERS, A.CARE_LEAVERS}),
        "The SIF graded care leavers as an area of their own. ILACS judged them with "
        "children in care until January 2023, and separately since.",
    ),
    Correspondence(
        "Adoption",
        frozenset({A.SIF_ADOPTION}),
        "Graded under the SIF; ILACS has no separate judgement of adoption.",
    ),
    Correspondence(
        "Leaders",
        frozenset({A.SIF_LEADERSHIP, A.LEADERSHIP}),
        "The SIF's “leadership, management and governance”; under ILACS, “the impact of "
        "leaders on social work practice with children and families”.",
    ),
    Correspondence(
        "Local Safeguarding Children Board",
        frozenset({A.SIF_LSCB}),
        "The SIF also judged the effectiveness of the area's Local Safeguarding Children "
        "Board; ILACS has no such judgement.",
    ),
)


@dataclass(frozen=True)
class Cell:
    judgement: Judgement | None
    source_number: int | None


@dataclass(frozen=True)
class AreaRow:
    label: str
    note: str
    first: Cell
    second: Cell
    change: str

    @property
    def cells(self) -> tuple[Cell, Cell]:
        return (self.first, self.second)


def change_between(first: Judgement | None, second: Judgement | None) -> str:
    if first is None or second is None:
        return "Judged only in the " + ("second" if first is None else "first") + " inspection."
    before, after = Grade.rank(first.grade), Grade.rank(second.grade)
    if before == after:
        return "Same grade."
    word = "Better" if after > before else "Worse"
    return f"{word}: {Grade(first.grade).short_label} to {Grade(second.grade).short_label}."


def graded_inspections(authority: LocalAuthority) -> list[Event]:
    """The council's inspections that happened and were graded, oldest first, each with its
    judgements and their sources (two queries)."""
    return [
        event
        for event in Event.objects.filter(
            authority=authority, kind=EventKind.INSPECTION, status=EventStatus.HAPPENED
        )
        .prefetch_related("judgements__source")
        .chronological()
        if event.judgements.all()
    ]


class SideBySideForm(forms.Form):
    """Which two inspections: by default the latest and the one before it."""

    first = forms.ChoiceField(
        label="First inspection",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    second = forms.ChoiceField(
        label="Second inspection",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )

    def __init__(self, data, inspections: list[Event]):
        super().__init__(data)
        self.inspections = {event.slug: event for event in inspections}
        choices = [(event.slug, str(event)) for event in inspections]
        latest = [event.slug for event in inspections[-2:]]
        for name, default in zip(("first", "second"), latest, strict=False):
            self.fields[name].initial = default
        for name in ("first", "second"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = (
                f"Choose one of this council's graded inspections as the {name}; "
                "the page shows its two latest instead."
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(
                "Choose two different inspections; the page shows the two latest instead."
            )
        return cleaned

    def pair(self) -> tuple[Event, Event] | None:
        """The two inspections to compare, older first; None if the council has fewer."""
        if len(self.inspections) < 2:
            return None
        latest = list(self.inspections.values())[-2:]
        first, second = latest
        if self.is_valid() and self.cleaned_data["first"] and self.cleaned_data["second"]:
            first = self.inspections[self.cleaned_data["first"]]
            second = self.inspections[self.cleaned_data["second"]]
        return tuple(sorted((first, second), key=lambda e: (e.start_date, e.pk)))


def side_by_side(first: Event, second: Event) -> tuple[list[AreaRow], list]:
    """The rows comparing the two inspections, and the sources they cite, numbered."""
    numbers = SourceNumbers()

    def cell(event: Event, areas: frozenset[str]) -> Cell:
        found = [j for j in event.judgements.all() if j.area in areas]
        if not found:
            return Cell(None, None)
        return Cell(found[0], numbers.cite(found[0].source))

    rows = []
    for correspondence in CORRESPONDENCES:
        left, right = cell(first, correspondence.areas), cell(second, correspondence.areas)
        if left.judgement is None and right.judgement is None:
            continue
        rows.append(
            AreaRow(
                label=correspondence.label,
                note=correspondence.note,
                first=left,
                second=right,
                change=change_between(left.judgement, right.judgement),
            )
        )
    return rows, [(source, "") for source in numbers.sources]
