"""Dates as precise as the sources allow: validation and display."""

import datetime

from django.db.models import Q
from django.utils import timezone

from .choices import DatePrecision

SEASONS = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}


def precision_rule(precision: str) -> str:
    """How a date recorded to `precision` is entered: the sentence an editor is shown when
    the constraint built by precision_condition() refuses the date."""
    match precision:
        case DatePrecision.SEASON:
            return "A season is entered as 1 March (spring), 1 June, 1 September or 1 December."
        case DatePrecision.YEAR:
            return "A date recorded to the year must be entered as 1 January of that year."
    return (
        f"A date recorded to the {DatePrecision(precision).label.lower()} must be "
        "entered as the first day of that period (for example 1 September 2022)."
    )


def precision_condition(field: str) -> Q:
    """A date agrees with its precision (`field`_precision): a month, season or year is
    entered as its first day. For a CheckConstraint on `field`."""
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


def today() -> datetime.date:
    """Today in the site's time zone: what "passed" and "ahead" are measured against."""
    return timezone.localdate()


def _month_end(value: datetime.date) -> datetime.date:
    next_month = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def period_end(value: datetime.date, precision: str) -> datetime.date:
    """The last day of the period a date stands for: the day itself, the last day of its
    month, of the season's third month (winter runs into February), or 31 December."""
    match precision:
        case DatePrecision.MONTH | DatePrecision.MONTH_NO_YEAR:
            return _month_end(value)
        case DatePrecision.SEASON:
            month = value.month + 2
            third = value.replace(year=value.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
            return _month_end(third)
        case DatePrecision.YEAR:
            return value.replace(month=12, day=31)
        case _:
            return value


def _season_start(day: datetime.date) -> datetime.date:
    """The first day of the season that `day` falls in (December starts winter)."""
    if day.month in (1, 2):
        return datetime.date(day.year - 1, 12, 1)
    return day.replace(month=day.month - (day.month % 3), day=1)


def not_ended_condition(field: str, day: datetime.date) -> Q:
    """The database form of period_end(field) >= day: the period has not ended by `day`."""
    precision = f"{field}_precision"
    return (
        Q(**{precision: DatePrecision.DAY, f"{field}__gte": day})
        | Q(
            **{
                f"{precision}__in": [DatePrecision.MONTH, DatePrecision.MONTH_NO_YEAR],
                f"{field}__gte": day.replace(day=1),
            }
        )
        | Q(**{precision: DatePrecision.SEASON, f"{field}__gte": _season_start(day)})
        | Q(**{precision: DatePrecision.YEAR, f"{field}__gte": day.replace(month=1, day=1)})
    )
