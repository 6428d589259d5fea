"""Every mistake an editor can make in the admin gets a clear message on the form, saves
nothing and never gives a 500. Each test posts the real admin form, inlines included."""

import threading

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from inspections.choices import EventKind, FindingKind, Grade, InspectionType, JudgementArea

from ..admin_support import form_data, make_editor
from ..builders import make_event, make_inspection, make_source, make_theme
from ..html import Element, page_of

pytestmark = pytest.mark.django_db

VISIT_ADD = reverse("admin:inspections_visit_add")
INSPECTION_ADD = reverse("admin:inspections_inspection_add")


def row_counts():
    """Rows in every table of the app, history included."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_app_config("inspections").get_models()
        if not model._meta.proxy
    }


def refused(client, url, data, message) -> Element:
    """Post `data`; expect the form again with `message` on it, and no row written."""
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    form = page_of(response)
    assert message in form, f"{message!r} not shown"
    assert "Please correct the error" in form
    assert row_counts() == before
    return form


@pytest.fixture
def visit_form(editor_client, authority):
    """A correct new monitoring visit, ready for one thing to be made wrong."""
    return visit_form_data(editor_client, authority)


def visit_form_data(client, authority) -> dict:
    source, theme = make_source(), make_theme()
    data = form_data(client.get(VISIT_ADD))
    data.update(
        {
            "authority": str(authority.pk),
            "kind": EventKind.MONITORING_VISIT,
            "sequence_number": "3",
            "title": "Third monitoring visit",
            "summary": "Progress on help and protection.",
            "start_date": "2024-05-14",
            "end_date": "2024-05-15",
            "published_on": "2024-06-20",
            "event_sources-0-source": str(source.pk),
            "findings-0-kind": FindingKind.STRENGTH,
            "findings-0-text": "Managers know their services well.",
            "findings-0-theme": str(theme.pk),
        }
    )
    return data


def test_the_visit_form_used_below_is_accepted_when_nothing_is_wrong(editor_client, visit_form):
    assert editor_client.post(VISIT_ADD, visit_form).status_code == 302


def test_an_end_date_before_the_start_date_is_refused(editor_client, visit_form):
    visit_form["end_date"] = "2024-05-01"
    refused(
        editor_client, VISIT_ADD, visit_form, "The end date must be on or after the start date."
    )


def test_a_publication_date_before_the_visit_ended_is_refused(editor_client, visit_form):
    visit_form["published_on"] = "2024-05-14"
    refused(
        editor_client,
        VISIT_ADD,
        visit_form,
        "The publication date must be on or after the last day of the visit.",
    )


def test_a_date_precision_that_contradicts_the_date_is_refused(editor_client, visit_form):
    visit_form["start_date_precision"] = "month"
    refused(
        editor_client,
        VISIT_ADD,
        visit_form,
        "A date recorded to the month must be entered as the first day of that period",
    )


def test_a_season_on_a_month_that_starts_no_season_is_refused(editor_client, visit_form):
    visit_form.update(
        {"start_date": "2024-05-01", "start_date_precision": "season", "end_date": ""}
    )
    refused(editor_client, VISIT_ADD, visit_form, "A season is entered as 1 March (spring)")


def test_a_monitoring_visit_number_already_used_for_the_authority_is_refused(
    editor_client, visit_form, authority
):
    make_event(authority, title="The real third visit", sequence_number=3)
    refused(
        editor_client,
        VISIT_ADD,
        visit_form,
        "This authority already has a monitoring visit with that number.",
    )


def test_the_same_visit_number_for_another_authority_is_accepted(editor_client, visit_form):
    from inspections.models import LocalAuthority

    other = LocalAuthority.objects.create(name="Otherton Council", slug="otherton")
    make_event(other, sequence_number=3)
    assert editor_client.post(VISIT_ADD, visit_form).status_code == 302


def test_a_finding_with_no_text_is_refused(editor_client, visit_form):
    visit_form["findings-0-text"] = "   "
    form = refused(editor_client, VISIT_ADD, visit_form, "Enter the text of the finding.")
    assert form.count("Enter the text of the finding.") == 1


def test_a_null_character_typed_into_a_field_is_refused_with_the_input_kept(
    editor_client, visit_form
):
    visit_form["title"] = "Third\x00 monitoring visit"
    form = refused(editor_client, VISIT_ADD, visit_form, "Null characters are not allowed.")
    assert form.value("findings-0-text") == "Managers know their services well."


def test_a_record_with_no_source_is_refused(editor_client, visit_form):
    visit_form["event_sources-0-source"] = ""
    refused(editor_client, VISIT_ADD, visit_form, "Add at least one source")


def test_removing_the_last_source_of_a_visit_is_refused(editor_client, authority):
    visit = make_event(authority)
    url = reverse("admin:inspections_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))
    data["event_sources-0-DELETE"] = "on"
    refused(editor_client, url, data, "Add at least one source")
    assert visit.sources.count() == 1


def test_the_same_source_twice_is_refused(editor_client, visit_form):
    visit_form["event_sources-TOTAL_FORMS"] = "2"
    visit_form["event_sources-1-source"] = visit_form["event_sources-0-source"]
    refused(editor_client, VISIT_ADD, visit_form, "is listed more than once")


@pytest.fixture
def inspection_form(editor_client, authority):
    source = make_source()
    data = form_data(editor_client.get(INSPECTION_ADD))
    data.update(
        {
            "authority": str(authority.pk),
            "title": "ILACS inspection",
            "summary": "Requires improvement.",
            "inspection_type": InspectionType.STANDARD,
            "start_date": "2023-03-13",
            "end_date": "2023-03-24",
            "published_on": "2023-05-10",
            "event_sources-0-source": str(source.pk),
            "judgements-0-grade": Grade.REQUIRES_IMPROVEMENT,
        }
    )
    return data


def test_the_inspection_form_used_below_is_accepted_when_nothing_is_wrong(
    editor_client, inspection_form
):
    assert editor_client.post(INSPECTION_ADD, inspection_form).status_code == 302


def test_two_judgements_for_the_same_area_are_refused(editor_client, inspection_form):
    inspection_form["judgements-1-area"] = JudgementArea.OVERALL
    inspection_form["judgements-1-grade"] = Grade.GOOD
    refused(
        editor_client,
        INSPECTION_ADD,
        inspection_form,
        "There are two judgements for “Overall effectiveness”",
    )


def test_an_area_from_the_other_framework_is_refused(editor_client, inspection_form):
    inspection_form["judgements-1-area"] = JudgementArea.SIF_ADOPTION
    inspection_form["judgements-1-grade"] = Grade.GOOD
    refused(editor_client, INSPECTION_ADD, inspection_form, "“Adoption performance” is not judged")


def test_an_inspection_without_a_framework_is_refused(editor_client, inspection_form):
    inspection_form["framework"] = ""
    refused(
        editor_client,
        INSPECTION_ADD,
        inspection_form,
        "Choose the framework of this graded inspection.",
    )


def test_a_grade_on_a_visit_kind_that_is_not_graded_is_refused(editor_client, authority):
    visit = make_event(authority, kind=EventKind.MONITORING_VISIT)
    url = reverse("admin:inspections_judgement_add")
    data = form_data(editor_client.get(url))
    data.update(
        {
            "event": str(visit.pk),
            "area": JudgementArea.OVERALL,
            "grade": Grade.GOOD,
            "source": str(visit.sources.get().pk),
        }
    )
    refused(editor_client, url, data, "A monitoring visit is not graded")


def test_moving_a_judgement_onto_a_visit_is_refused(editor_client, authority):
    from inspections.models import Judgement

    inspection = make_inspection(authority)
    judgement = Judgement.objects.create(
        event=inspection, area="overall", grade=Grade.GOOD, source=inspection.sources.get()
    )
    visit = make_event(authority, kind=EventKind.FOCUSED_VISIT)
    url = reverse("admin:inspections_judgement_change", args=[judgement.pk])
    data = form_data(editor_client.get(url))
    data["event"] = str(visit.pk)
    refused(editor_client, url, data, "A focused visit is not graded")


def test_a_visit_cannot_be_turned_into_a_graded_inspection(editor_client, visit_form):
    visit_form["kind"] = EventKind.INSPECTION
    refused(editor_client, VISIT_ADD, visit_form, "Select a valid choice.")


def test_a_number_in_the_series_on_a_focused_visit_is_refused(editor_client, visit_form):
    visit_form["kind"] = EventKind.FOCUSED_VISIT
    refused(
        editor_client,
        VISIT_ADD,
        visit_form,
        "Only monitoring visits have a number in the series.",
    )


def test_a_percentage_over_100_is_refused(editor_client, visit_form):
    visit_form.update(
        {
            "figures-TOTAL_FORMS": "1",
            "figures-0-label": "Care leavers in touch",
            "figures-0-value": "140",
            "figures-0-unit": "percent",
            "figures-0-qualifier": "exact",
        }
    )
    refused(editor_client, VISIT_ADD, visit_form, "A percentage must be between 0 and 100.")


def test_a_statement_with_no_words_is_refused(editor_client, visit_form):
    from inspections.models import Person

    person = Person.objects.create(name="A Councillor")
    visit_form.update(
        {
            "statements-TOTAL_FORMS": "1",
            "statements-0-person": str(person.pk),
            "statements-0-role": "Cabinet member",
            "statements-0-text": "",
        }
    )
    refused(editor_client, VISIT_ADD, visit_form, "Enter what was said.")


def test_a_date_that_is_not_a_date_is_refused(editor_client, visit_form):
    visit_form["start_date"] = "31/02/2024"
    refused(editor_client, VISIT_ADD, visit_form, "Enter a valid date.")


def test_a_slug_already_used_is_refused(editor_client, visit_form, authority):
    make_event(authority, slug="third-visit")
    visit_form["slug"] = "third-visit"
    refused(editor_client, VISIT_ADD, visit_form, "Event with this Slug already exists.")


@pytest.mark.django_db(transaction=True)
def test_a_visit_number_taken_while_the_editor_was_saving_gets_the_form_message(client, authority):
    """Another editor's save of visit number 3 is under way when this editor saves visit
    number 3 too: this save waits for the other to commit, then its checks see that
    visit, and the editor gets the form back with the usual message and everything they
    typed, not an error page.

    On PostgreSQL the other save holds the authority's row (as the admin form does) in a
    second connection while this one posts. SQLite begins every transaction with its
    write lock (settings.py), so there the other save simply commits first; the test
    database is in memory, shared between connections, where SQLite refuses a second
    writer instead of making it wait, so the two cannot overlap here."""
    from inspections.models import Event, LocalAuthority

    client.force_login(make_editor("racing-editor"))
    form = visit_form_data(client, authority)
    other_holds_lock, other_may_commit = threading.Event(), threading.Event()

    def other_editor():
        try:
            with transaction.atomic():
                rows = LocalAuthority.objects.select_for_update().filter(pk=authority.pk)
                list(rows.values("pk"))
                make_event(authority, title="Saved a moment ago", sequence_number=3)
                other_holds_lock.set()
                other_may_commit.wait(10)
        finally:
            if connection.vendor == "postgresql":
                connection.close()

    if connection.vendor == "postgresql":
        other = threading.Thread(target=other_editor)
        other.start()
        assert other_holds_lock.wait(10)
        threading.Timer(0.5, other_may_commit.set).start()
        response = client.post(VISIT_ADD, form)
        other.join(10)
    else:
        other_may_commit.set()
        other_editor()
        response = client.post(VISIT_ADD, form)
    form = page_of(response)
    assert response.status_code == 200
    assert "This authority already has a monitoring visit with that number." in form
    assert form.value("findings-0-text") == "Managers know their services well."
    assert Event.objects.filter(authority=authority, sequence_number=3).count() == 1
