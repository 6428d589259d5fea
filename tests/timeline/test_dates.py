"""Dates read as precisely as the sources state them, and no more."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.choices import DatePrecision
from inspections.dates import describe, describe_range

from ..builders import make_source


@pytest.mark.parametrize(
    ("value", "precision", "approximate", "expected"),
    [
        (datetime.date(2019, 5, 15), DatePrecision.DAY, False, "15 May 2019"),
        (datetime.date(2022, 9, 1), DatePrecision.MONTH, False, "September 2022"),
        (datetime.date(2023, 10, 1), DatePrecision.MONTH, True, "about October 2023"),
        (datetime.date(2024, 3, 1), DatePrecision.SEASON, False, "Spring 2024"),
        (datetime.date(2019, 1, 1), DatePrecision.YEAR, False, "2019"),
        (
            datetime.date(2022, 9, 1),
            DatePrecision.MONTH_NO_YEAR,
            False,
            "September (year not stated in the source)",
        ),
    ],
)
def test_a_date_is_shown_only_as_precisely_as_recorded(value, precision, approximate, expected):
    assert describe(value, precision, approximate) == expected


def test_an_on_site_range_reads_naturally():
    text = describe_range(
        datetime.date(2019, 2, 25), DatePrecision.DAY, datetime.date(2019, 3, 8), DatePrecision.DAY
    )
    assert text == "25 February to 8 March 2019"
    months = describe_range(
        datetime.date(2014, 10, 1),
        DatePrecision.MONTH_NO_YEAR,
        datetime.date(2014, 11, 1),
        DatePrecision.MONTH_NO_YEAR,
    )
    assert months == "October to November (year not stated in the source)"


@pytest.mark.django_db
def test_a_precision_that_contradicts_the_date_gets_a_clear_message():
    source = make_source()
    source.published_on = datetime.date(2023, 9, 14)
    source.published_on_precision = DatePrecision.MONTH
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "first day of that period" in str(error.value.message_dict["published_on"])
