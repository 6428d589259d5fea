"""The database itself refuses bad data, whatever the form in front of it."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from inspections.choices import DatePrecision, EventKind, Framework, Grade, JudgementArea
from inspections.models import Event, Finding, Judgement, Source

from ..builders import (
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_source,
    make_theme,
)

pytestmark = pytest.mark.django_db


def refused(model, action):
    """Run `action`, expect the database to refuse it, and check no row of `model` was added."""
    before = model.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        action()
    assert model.objects.count() == before


def test_a_second_judgement_for_the_same_area_is_refused(authority):
    inspection = make_inspection(authority)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    refused(Judgement, lambda: make_judgement(inspection, JudgementArea.OVERALL, Grade.INADEQUATE))
    assert inspection.judgements.get().grade == Grade.GOOD


def test_a_grade_outside_the_four_point_scale_is_refused(authority):
    inspection = make_inspection(authority)
    refused(Judgement, lambda: make_judgement(inspection, grade="excellent"))


def test_an_area_outside_the_frameworks_is_refused(authority):
    inspection = make_inspection(authority)
    refused(Judgement, lambda: make_judgement(inspection, area="parking"))


def test_an_event_ending_before_it_starts_is_refused(authority):
    refused(
        Event,
        lambda: make_event(
            authority, start_date=datetime.date(2023, 3, 10), end_date=datetime.date(2023, 3, 1)
        ),
    )


def test_publication_before_the_visit_ended_is_refused(authority):
    refused(
        Event,
        lambda: make_event(
            authority,
            start_date=datetime.date(2023, 3, 1),
            end_date=datetime.date(2023, 3, 10),
            published_on=datetime.date(2023, 3, 5),
        ),
    )


def test_a_month_precise_date_that_is_not_the_first_is_refused(authority):
    refused(
        Event,
        lambda: make_event(
            authority,
            start_date=datetime.date(2022, 9, 14),
            start_date_precision=DatePrecision.MONTH,
        ),
    )


def test_a_season_must_start_on_its_first_month(authority):
    refused(
        Event,
        lambda: make_event(
            authority,
            start_date=datetime.date(2024, 4, 1),
            start_date_precision=DatePrecision.SEASON,
        ),
    )
    spring = make_event(
        authority, start_date=datetime.date(2024, 3, 1), start_date_precision=DatePrecision.SEASON
    )
    assert spring.dates_display == "Spring 2024"


def test_a_monitoring_visit_number_is_used_once_per_authority(authority):
    make_event(authority, sequence_number=5)
    refused(Event, lambda: make_event(authority, sequence_number=5))


def test_only_monitoring_visits_have_a_number(authority):
    refused(Event, lambda: make_event(authority, kind=EventKind.FOCUSED_VISIT, sequence_number=1))


def test_a_framework_belongs_only_to_graded_inspections(authority):
    refused(Event, lambda: make_event(authority, framework=Framework.ILACS))
    refused(Event, lambda: make_event(authority, kind=EventKind.INSPECTION))


def test_a_finding_without_text_is_refused(authority):
    event = make_event(authority)
    theme = make_theme()
    refused(Finding, lambda: make_finding(event, theme, text=""))


def test_removing_a_source_never_deletes_the_facts_that_cite_it(authority):
    source = make_source()
    inspection = make_inspection(authority, source)
    make_judgement(inspection, source=source)
    with pytest.raises(ProtectedError):
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()
    assert Judgement.objects.filter(event=inspection).count() == 1


def test_removing_an_event_never_deletes_its_judgements_or_findings(authority):
    inspection = make_inspection(authority)
    make_judgement(inspection)
    make_finding(inspection, make_theme())
    with pytest.raises(ProtectedError):
        inspection.delete()
    assert Judgement.objects.filter(event=inspection).count() == 1
    assert Finding.objects.filter(event=inspection).count() == 1
