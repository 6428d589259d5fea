"""The rules of the inspection records that the admin's forms and the database share:
each rule's message, the longest texts, and the shapes of the constraints and fields
that several models use.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from .. import dates
from ..choices import DatePrecision

# Each rule's message, written once: clean() shows it beside the field on the admin's
# form, and the database constraint that enforces the same rule gives it too.
ENDS_BEFORE_START = "The end date must be on or after the start date."
PUBLISHED_BEFORE_END = "The publication date must be on or after the last day of the visit."
FRAMEWORK_MISSING = "Choose the framework of this graded inspection."
TYPE_MISSING = "Choose standard or short inspection."
FRAMEWORK_RULE = "A graded inspection has a framework and a type; other events have neither."
NUMBER_NOT_MONITORING = "Only monitoring visits have a number in the series."
NUMBER_TAKEN = (
    "This authority already has a monitoring visit with that number. "
    "Check the number in the report."
)
DATE_PRECISION_RULE = "A date recorded to the month, season or year is entered as its first day."
EARLIEST_YEAR_RULE = (
    "An earliest year is given only when the source does not state the year, and is no "
    "later than the start date's year."
)
FINDING_TEXT_MISSING = "Enter the text of the finding."
FINDING_THEME_MISSING = "Choose the theme of the finding."
FINDING_KIND_MISSING = "Choose whether this is a strength, an area for improvement or an action."
STATEMENT_TEXT_MISSING = "Enter what was said."
PERCENT_OUT_OF_RANGE = "A percentage must be between 0 and 100."
FULFILLED_NOT_PLANNED = (
    "Only a planned event can be fulfilled by another: set the status to planned, "
    "or leave this blank."
)
FULFILLED_BY_ITSELF = "A plan cannot be fulfilled by itself: choose the event that took place."
FULFILLED_OTHER_COUNCIL = "Choose an event of the same council as the plan."
FULFILLED_NOT_HAPPENED = "Choose an event that happened: a plan is fulfilled by what took place."
# Longest texts, with room to spare: the longest statement in the seed data is 1,317
# characters, the longest finding 394, the longest date note 534.
LONGEST_FINDING = 2000
LONGEST_STATEMENT = 5000
LONGEST_NOTE = 2000


def at_most(field: str, characters: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), characters),
        name=name,
        violation_error_message=f"Keep this under {characters:,} characters.",
    )


def beside_fields(instance: models.Model, error: ValidationError) -> ValidationError:
    """validate_constraints()'s `error`, with the message of each constraint whose
    violation_error_code names a field of `instance` moved beside that field, so that the
    admin's form shows it there. A date refused for its precision is told how a date of
    that precision is entered."""
    fields = {field.name for field in instance._meta.concrete_fields}
    moved: dict[str, list[ValidationError]] = {}
    for item in error.error_dict.get(NON_FIELD_ERRORS, []) if hasattr(error, "error_dict") else []:
        field = item.code if item.code in fields else NON_FIELD_ERRORS
        if item.message == DATE_PRECISION_RULE and field != NON_FIELD_ERRORS:
            precision = getattr(instance, f"{field}_precision")
            item = ValidationError(dates.precision_rule(precision), code=item.code)
        moved.setdefault(field, []).append(item)
    if not moved:
        return error
    return ValidationError(
        {name: found for name, found in error.error_dict.items() if name != NON_FIELD_ERRORS}
        | moved
    )


def precision_constraint(model: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=dates.precision_condition(field),
        name=f"{model}_{field}_precision_agrees",
        violation_error_message=DATE_PRECISION_RULE,
        violation_error_code=field,
    )


def in_choices(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def precision_field(help_text: str = "") -> models.CharField:
    return models.CharField(
        max_length=16,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=help_text
        or "How much of the date the source states. Enter a month as its first day.",
    )


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# Recommendations tracking (the cross-row rules are in rules.py).
LINK_TO_ITSELF = "An item cannot be linked to itself: choose another recommendation."
LINK_NOT_FORWARD = (
    "The earlier item must come from an inspection or visit that began before the later "
    "item's: links go forward in time."
)
LINK_NOT_IMPROVEMENT = "Only areas for improvement can be linked: choose a recommendation."
LINK_OTHER_COUNCIL = "Both items must be recommendations to the same council."
UPDATE_BEFORE_ITEM = (
    "A status update cannot be dated before its item was raised (the first day of the "
    "inspection or visit that raised it)."
)
UPDATE_NOT_IMPROVEMENT = "Only areas for improvement have status updates: choose a recommendation."


# Changing an event or a finding must not break the links and updates that rest on it.
EVENT_CHANGE_BREAKS_TRACKING = (
    "This change would leave a recommendation of this event linked to an item of another "
    "council or of an earlier date, or with a status update dated before it: correct those "
    "links and updates first."
)
FINDING_CHANGE_BREAKS_TRACKING = (
    "This recommendation has links or status updates: remove them before moving it to "
    "another event or making it anything but an area for improvement."
)
