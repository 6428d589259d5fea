"""A theme page shows Ofsted's grade for the area the theme speaks to beside its findings."""

import pytest
from django.urls import reverse

from inspections.choices import FindingKind, Grade, JudgementArea
from inspections.models import Event, Theme

from ..builders import make_finding, make_inspection, make_judgement, make_theme
from ..html import page_of

pytestmark = pytest.mark.django_db


def test_care_leavers_shows_the_2019_inadequate_beside_its_only_strength(client, seed_data):
    """The 2019 report's one care-leavers finding is a strength, yet the area (then judged
    with children in care) was inadequate: a reader must see both together."""
    theme = Theme.objects.get(slug="care-leavers")
    inspection = Event.objects.get(
        findings__theme=theme, judgements__area=JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS
    )
    combined = inspection.judgements.get(area=JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS)
    shown = page_of(client.get(theme.get_absolute_url()))
    entry = shown.section(inspection.title)
    judged = f"Children in care and care leavers judged {combined.get_grade_display()}"
    assert judged in entry
    for finding in inspection.findings.filter(theme=theme):
        assert entry.index(judged) < entry.index(finding.text)


def test_a_theme_shows_only_the_grades_of_its_own_areas(client, authority):
    theme = make_theme(name="Care leavers", slug="care-leavers")
    inspection = make_inspection(authority)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(inspection, JudgementArea.CHILDREN_IN_CARE, Grade.OUTSTANDING)
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.INADEQUATE)
    make_finding(inspection, theme, "Personal advisers know young people well.")
    url = reverse("inspections:theme", args=[theme.slug]) + f"?authority={authority.slug}"
    entry = page_of(client.get(url)).section(inspection.title)
    assert "Care leavers judged Inadequate" in entry
    assert "Outstanding" not in entry and "Overall" not in entry


def test_a_theme_that_cuts_across_the_areas_shows_no_grade(client, authority):
    theme = make_theme(name="Caseloads", slug="caseloads")
    inspection = make_inspection(authority)
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.INADEQUATE)
    make_finding(inspection, theme, "Caseloads are too high.", kind=FindingKind.IMPROVEMENT)
    url = reverse("inspections:theme", args=[theme.slug]) + f"?authority={authority.slug}"
    entry = page_of(client.get(url)).section(inspection.title)
    assert "Caseloads are too high." in entry
    assert "judged" not in entry and "Inadequate" not in entry
