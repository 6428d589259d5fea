"""Recording new outcomes through the admin forms, as an editor does after a report."""

import pytest
from django.urls import reverse

from inspections.choices import (
    FRAMEWORK_AREAS,
    EventKind,
    FindingKind,
    Framework,
    Grade,
    InspectionType,
    JudgementArea,
)
from inspections.models import Event, EventSource, Finding, Judgement

from ..admin_support import form_data
from ..builders import make_event, make_inspection, make_source, make_theme
from ..html import page_of

pytestmark = pytest.mark.django_db

VISIT_ADD = reverse("admin:inspections_visit_add")
INSPECTION_ADD = reverse("admin:inspections_inspection_add")


def new_monitoring_visit(data, authority, source, themes, number=6):
    """Fill in the visit form as an editor would for a newly published monitoring visit."""
    data.update(
        {
            "authority": str(authority.pk),
            "kind": EventKind.MONITORING_VISIT,
            "sequence_number": str(number),
            "title": f"Monitoring visit {number}",
            "summary": "Inspectors found that help for care leavers had improved.",
            "start_date": "2024-05-14",
            "start_date_precision": "day",
            "end_date": "2024-05-15",
            "end_date_precision": "day",
            "published_on": "2024-06-20",
            "published_on_precision": "day",
            "event_sources-0-source": str(source.pk),
            "event_sources-0-contribution": "The monitoring visit letter.",
            "findings-0-kind": FindingKind.STRENGTH,
            "findings-0-text": "Personal advisers now keep in touch with care leavers.",
            "findings-0-theme": str(themes[0].pk),
            "findings-1-kind": FindingKind.IMPROVEMENT,
            "findings-1-text": "Too many children still have a change of social worker.",
            "findings-1-theme": str(themes[1].pk),
        }
    )
    return data


def test_an_editor_records_a_monitoring_visit_with_two_findings_in_one_form(
    editor_client, authority
):
    source = make_source(title="Ofsted letter on the sixth monitoring visit")
    themes = [make_theme(name="Care leavers"), make_theme(name="Workforce")]
    data = new_monitoring_visit(form_data(editor_client.get(VISIT_ADD)), authority, source, themes)

    response = editor_client.post(VISIT_ADD, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Event.objects.get(title="Monitoring visit 6")
    assert visit.kind == EventKind.MONITORING_VISIT
    assert visit.sequence_number == 6
    assert str(visit.published_on) == "2024-06-20"
    assert list(visit.sources.all()) == [source]
    findings = list(visit.findings.order_by("pk"))
    assert [f.text for f in findings] == [
        "Personal advisers now keep in touch with care leavers.",
        "Too many children still have a change of social worker.",
    ]
    assert [f.theme for f in findings] == themes
    # The findings' source was left blank: they cite the visit's source.
    assert {f.source for f in findings} == {source}
    assert visit.slug == "monitoring-visit-6"


def test_the_timeline_shows_a_new_visit_as_soon_as_it_is_saved(editor_client, authority, client):
    source = make_source()
    themes = [make_theme(), make_theme()]
    data = new_monitoring_visit(form_data(editor_client.get(VISIT_ADD)), authority, source, themes)
    editor_client.post(VISIT_ADD, data)

    timeline = page_of(editor_client.get(reverse("inspections:timeline")))
    assert timeline.by_id("results").headings(3) == ["Monitoring visit 6"]
    page = page_of(editor_client.get(reverse("inspections:event", args=["monitoring-visit-6"])))
    assert "Personal advisers now keep in touch with care leavers." in page.section("Strengths")


def test_the_saved_visit_has_a_view_on_site_link_to_its_page(editor_client, authority):
    visit = make_event(authority, title="Focused visit on care leavers", slug="focused-2022")
    response = editor_client.get(reverse("admin:inspections_visit_change", args=[visit.pk]))
    assert ("View on site", visit.get_absolute_url()) in page_of(response).links()


def test_a_new_ilacs_inspection_offers_one_judgement_row_for_each_ilacs_area(editor_client):
    data = form_data(editor_client.get(INSPECTION_ADD))
    areas = FRAMEWORK_AREAS[Framework.ILACS]
    assert data["judgements-TOTAL_FORMS"] == str(len(areas))
    assert [data[f"judgements-{i}-area"] for i in range(len(areas))] == list(areas)
    assert data["framework"] == Framework.ILACS


def test_a_new_sif_inspection_offers_the_sif_areas(editor_client):
    data = form_data(editor_client.get(INSPECTION_ADD + "?framework=sif"))
    areas = FRAMEWORK_AREAS[Framework.SIF]
    assert [data[f"judgements-{i}-area"] for i in range(len(areas))] == list(areas)
    assert data["framework"] == Framework.SIF


def test_an_editor_records_a_graded_inspection_with_a_grade_for_each_area(editor_client, authority):
    source = make_source()
    data = form_data(editor_client.get(INSPECTION_ADD))
    areas = FRAMEWORK_AREAS[Framework.ILACS]
    data.update(
        {
            "authority": str(authority.pk),
            "title": "ILACS inspection of 2026",
            "summary": "Good overall.",
            "inspection_type": InspectionType.STANDARD,
            "start_date": "2026-03-02",
            "end_date": "2026-03-13",
            "published_on": "2026-05-01",
            "event_sources-0-source": str(source.pk),
        }
    )
    for i in range(len(areas)):
        data[f"judgements-{i}-grade"] = Grade.GOOD

    response = editor_client.post(INSPECTION_ADD, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Event.objects.get(title="ILACS inspection of 2026")
    assert inspection.kind == EventKind.INSPECTION
    assert inspection.framework == Framework.ILACS
    judgements = inspection.judgements.order_by("pk")
    assert [j.area for j in judgements] == list(areas)
    assert {j.grade for j in judgements} == {Grade.GOOD}
    assert {j.source for j in judgements} == {source}
    timeline = page_of(editor_client.get(reverse("inspections:timeline")))
    assert timeline.by_id("results").headings(3) == ["ILACS inspection of 2026"]


def test_judgement_rows_left_without_a_grade_are_not_saved(editor_client, authority):
    source = make_source()
    data = form_data(editor_client.get(INSPECTION_ADD))
    data.update(
        {
            "authority": str(authority.pk),
            "title": "Short inspection",
            "summary": "Overall only so far.",
            "inspection_type": InspectionType.SHORT,
            "start_date": "2026-03-02",
            "event_sources-0-source": str(source.pk),
            "judgements-0-grade": Grade.REQUIRES_IMPROVEMENT,
        }
    )
    assert editor_client.post(INSPECTION_ADD, data).status_code == 302
    inspection = Event.objects.get(title="Short inspection")
    assert list(inspection.judgements.values_list("area", flat=True)) == [JudgementArea.OVERALL]


def test_an_inspections_change_page_offers_rows_only_for_the_areas_not_yet_judged(
    editor_client, authority
):
    inspection = make_inspection(authority)
    Judgement.objects.create(
        event=inspection,
        area=JudgementArea.OVERALL,
        grade=Grade.GOOD,
        source=inspection.sources.get(),
    )
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    data = form_data(editor_client.get(url))
    offered = [data[f"judgements-{i}-area"] for i in range(int(data["judgements-TOTAL_FORMS"]))]
    assert offered == list(FRAMEWORK_AREAS[Framework.ILACS])
    assert data["judgements-INITIAL_FORMS"] == "1"

    data["judgements-1-grade"] = Grade.OUTSTANDING
    assert editor_client.post(url, data).status_code == 302
    assert inspection.judgements.get(area=JudgementArea.HELP_AND_PROTECTION).grade == (
        Grade.OUTSTANDING
    )


def test_a_second_source_can_be_added_to_an_existing_visit(editor_client, authority):
    visit = make_event(authority)
    extra = make_source(title="A council press release")
    url = reverse("admin:inspections_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))
    data["event_sources-TOTAL_FORMS"] = "2"
    data["event_sources-1-source"] = str(extra.pk)
    assert editor_client.post(url, data).status_code == 302
    assert EventSource.objects.filter(event=visit).count() == 2


def test_a_finding_added_on_its_own_page_must_name_its_source(editor_client, authority):
    visit = make_event(authority)
    theme = make_theme()
    url = reverse("admin:inspections_finding_add")
    data = form_data(editor_client.get(url))
    data.update(
        {"event": str(visit.pk), "kind": FindingKind.ACTION, "text": "A plan.", "theme": theme.pk}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "This field is required." in page_of(response)
    assert not Finding.objects.exists()
