"""Dates as precise as the sources allow: validation and display."""

import datetime

from django.db.models import Q

from .choices import DatePrecision

SEASONS = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}


def precision_error(value: datetime.date | None, precision: str) -> str | None:
    """Why `value` cannot carry `precision`, or None when they agree."""
    if value is None:
        return None
    if precision == DatePrecision.DAY:
        return None
    if value.day != 1:
        return (
            f"A date recorded to the {DatePrecision(precision).label.lower()} must be "
            "entered as the first day of that period (for example 1 September 2022)."
        )
    if precision == DatePrecision.SEASON and value.month not in SEASONS:
        return "A season is entered as 1 March (spring), 1 June, 1 September or 1 December."
    if precision == DatePrecision.YEAR and value.month != 1:
        return "A date recorded to the year must be entered as 1 January of that year."
    return None


def precision_condition(field: str) -> Q:
    """The database form of precision_error(), for a CheckConstraint on `field`."""
    precision = f"{field}_precision"
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{precision: DatePrecision.DAY})
        | Q(**{precision: DatePrecision.MONTH, f"{field}__day": 1})
        | Q(**{precision: DatePrecision.MONTH_NO_YEAR, f"{field}__day": 1})
        | Q(
            **{
                precision: DatePrecision.SEASON,
                f"{field}__day": 1,
                f"{field}__month__in": list(SEASONS),
            }
        )
        | Q(**{precision: DatePrecision.YEAR, f"{field}__day": 1, f"{field}__month": 1})
    )


def describe(value: datetime.date | None, precision: str, approximate: bool = False) -> str:
    """'14 March 2023', 'September 2022', 'Spring 2024', 'about October 2023'."""
    if value is None:
        return "Date not stated"
    match precision:
        case DatePrecision.DAY:
            text = f"{value.day} {value:%B %Y}"
        case DatePrecision.MONTH:
            text = f"{value:%B %Y}"
        case DatePrecision.SEASON:
            text = f"{SEASONS.get(value.month, value.strftime('%B'))} {value.year}"
        case DatePrecision.YEAR:
            text = str(value.year)
        case DatePrecision.MONTH_NO_YEAR:
            text = f"{value:%B} (year not stated in the source)"
        case _:
            text = value.isoformat()
    return f"about {text}" if approximate else text


def describe_range(
    start: datetime.date,
    start_precision: str,
    end: datetime.date | None,
    end_precision: str,
    approximate: bool = False,
) -> str:
    """'25 February to 8 March 2019', 'October to November 2014', or a single date."""
    if end is None or (end == start and end_precision == start_precision):
        return describe(start, start_precision, approximate)
    same_kind = start_precision == end_precision
    if same_kind and start_precision == DatePrecision.DAY and start.year == end.year:
        first = f"{start.day} {start:%B}" if start.month != end.month else str(start.day)
        text = f"{first} to {describe(end, end_precision)}"
    elif same_kind and start_precision == DatePrecision.MONTH and start.year == end.year:
        text = f"{start:%B} to {end:%B %Y}"
    elif same_kind and start_precision == DatePrecision.MONTH_NO_YEAR:
        text = f"{start:%B} to {end:%B} (year not stated in the source)"
    else:
        text = f"{describe(start, start_precision)} to {describe(end, end_precision)}"
    return f"about {text}" if approximate else text
