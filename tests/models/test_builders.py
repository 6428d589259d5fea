"""The benchmark's synthetic data is realistic, valid and plainly not real."""

import pytest
from django.db.models import Max, Min

from inspections.choices import FRAMEWORK_AREAS, EventKind, EventStatus, Framework
from inspections.models import Event, Figure, Finding, LocalAuthority, Source, Statement

from ..builders import YEARS, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_authorities(db):
    return generate(3, seed=5)


def test_every_generated_record_passes_the_admins_validation(three_authorities):
    for model in (LocalAuthority, Source, Event, Finding, Figure, Statement):
        for record in model.objects.all():
            record.full_clean()
    for event in Event.objects.prefetch_related("judgements"):
        for judgement in event.judgements.all():
            judgement.full_clean()


def test_each_authority_has_fifteen_years_of_inspections_visits_and_facts(three_authorities):
    assert three_authorities["authorities"] == 3
    for authority in LocalAuthority.objects.all():
        events = Event.objects.filter(authority=authority)
        span = events.aggregate(first=Min("start_date"), last=Max("start_date"))
        assert span["last"].year - span["first"].year >= YEARS - 5, authority
        inspections = events.filter(kind=EventKind.INSPECTION, status=EventStatus.HAPPENED)
        assert inspections.filter(framework=Framework.SIF).count() == 1
        assert inspections.filter(framework=Framework.ILACS).count() >= 2
        for inspection in inspections:
            areas = set(inspection.judgements.values_list("area", flat=True))
            assert areas == set(FRAMEWORK_AREAS[Framework(inspection.framework)])
        assert Finding.objects.filter(event__authority=authority).count() > 20
        assert events.filter(status=EventStatus.PLANNED).count() == 1


def test_monitoring_visits_follow_an_inadequate_judgement_and_are_numbered_in_order():
    generate(40, seed=1)
    visits = Event.objects.filter(kind=EventKind.MONITORING_VISIT)
    assert visits.exists()
    for authority in LocalAuthority.objects.filter(events__in=visits).distinct():
        numbers = list(
            visits.filter(authority=authority)
            .order_by("start_date")
            .values_list("sequence_number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
        first_visit = visits.filter(authority=authority).order_by("start_date").first()
        assert Event.objects.filter(
            authority=authority,
            kind=EventKind.INSPECTION,
            judgements__area="overall",
            judgements__grade="inadequate",
            start_date__lt=first_visit.start_date,
        ).exists()


def test_the_names_say_the_data_is_synthetic_and_the_same_seed_gives_the_same_data(db):
    first = generate(2, seed=3)
    titles = list(Event.objects.order_by("pk").values_list("title", "start_date"))
    assert all(a.name.startswith("Synthetic ") for a in LocalAuthority.objects.all())
    assert all("(synthetic)" in s.title for s in Source.objects.all())
    again = generate(2, seed=3, first_number=3)
    assert first == again
    later = list(Event.objects.order_by("pk").values_list("title", "start_date"))[len(titles) :]
    assert [d for _, d in later] == [d for _, d in titles]
