"""What the admin refuses so that nothing is lost: impossible dates in the list filters, an
event's last source, and the deletion of someone the history names."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from inspections.models import EventSource, Theme

from ..admin_support import make_user
from ..builders import make_event, make_source

pytestmark = pytest.mark.django_db

IMPOSSIBLE_DATES = [
    {"__year": "99999999999999999999"},
    {"__year": "9999", "__month": "12"},
    {"__year": "9999"},
    {"__year": "2024", "__month": "13"},
    {"__year": "2024", "__month": "2", "__day": "31"},
    {"__year": "-5"},
]


@pytest.fixture
def superuser_client():
    """A browser of its own, so that a test can have an editor signed in beside it."""
    client = Client()
    client.force_login(make_user("root", superuser=True))
    return client


def lists_with_date_drill_down():
    for model, model_admin in admin.site._registry.items():
        if model_admin.date_hierarchy:
            yield model, model_admin.date_hierarchy


def test_every_list_with_dates_answers_an_impossible_date_without_an_error(
    superuser_client, authority
):
    make_event(authority)
    lists = list(lists_with_date_drill_down())
    assert len(lists) >= 5, "the date drill-down lists were not found"
    for model, field in lists:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for date in IMPOSSIBLE_DATES:
            query = {f"{field}{part}": value for part, value in date.items()}
            response = superuser_client.get(url, query, follow=True)
            assert response.status_code == 200, (model, query)
            # Django's own answer to parameters it cannot use: the list, unfiltered.
            assert "?e=1" in response.redirect_chain[-1][0], (model, query)


def test_the_last_source_of_an_event_cannot_be_deleted(superuser_client, authority):
    event = make_event(authority, title="A visit with one source")
    link = event.event_sources.get()
    url = reverse("admin:inspections_eventsource_delete", args=[link.pk])
    page = superuser_client.get(url).content.decode()
    assert escape("The event “A visit with one source” would cite no source") in page
    superuser_client.post(url, {"post": "yes"})
    assert EventSource.objects.filter(pk=link.pk).exists()


def test_a_source_link_can_be_deleted_while_another_remains(superuser_client, authority):
    event = make_event(authority)
    second = EventSource.objects.create(event=event, source=make_source())
    url = reverse("admin:inspections_eventsource_delete", args=[second.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert (
        list(event.event_sources.all()) != []
        and not EventSource.objects.filter(pk=second.pk).exists()
    )


def test_deleting_every_source_of_an_event_at_once_is_refused(superuser_client, authority):
    event = make_event(authority, title="Two sources, both ticked")
    EventSource.objects.create(event=event, source=make_source())
    links = list(event.event_sources.values_list("pk", flat=True))
    url = reverse("admin:inspections_eventsource_changelist")
    action = {"action": "delete_selected", "_selected_action": links, "post": "yes"}
    page = superuser_client.post(url, action).content.decode()
    assert escape("The event “Two sources, both ticked” would cite no source") in page
    assert event.event_sources.count() == 2


def test_a_user_who_changed_the_data_is_kept_and_their_name_stays_on_the_history(
    superuser_client, editor_client
):
    editor = User.objects.get(username="editor")
    theme = Theme.objects.create(name="Early help", slug="early-help")
    change = reverse("admin:inspections_theme_change", args=[theme.pk])
    editor_client.post(change, {"name": "Early help services", "slug": "early-help"})
    assert Theme.history.filter(history_user=editor).exists()

    url = reverse("admin:auth_user_delete", args=[editor.pk])
    page = superuser_client.get(url).content.decode()
    assert "the history must keep their name" in page
    assert "Deactivate the account instead" in page
    superuser_client.post(url, {"post": "yes"})
    assert User.objects.filter(pk=editor.pk).exists()
    assert Theme.history.filter(history_user=editor).exists()
    with pytest.raises(ProtectedError):
        editor.delete()


def test_a_user_who_changed_nothing_can_be_deleted(superuser_client):
    unused = make_user("never-signed-in")
    url = reverse("admin:auth_user_delete", args=[unused.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=unused.pk).exists()


def test_the_second_of_two_editors_saving_a_finding_is_told_what_changed(editor_client, authority):
    """Two editors open the same finding; the first saves. The second's save would
    silently undo it: it is refused, with what the first changed, and their typing kept."""
    from inspections.models import Finding

    from ..admin_support import form_data, make_editor
    from ..builders import make_finding, make_theme

    finding = make_finding(make_event(authority), make_theme(), text="The original text.")
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    other = Client()
    other.force_login(make_editor("second-editor"))
    first_form = form_data(editor_client.get(url))
    second_form = form_data(other.get(url))

    first_form["text"] = "The first editor's correction."
    assert editor_client.post(url, first_form).status_code == 302
    second_form["text"] = "The second editor's wording."
    response = other.post(url, second_form)

    html = response.content.decode()
    assert response.status_code == 200
    assert escape("Someone else saved this finding after you opened it") in html
    assert escape("Text: “The original text.” is now “The first editor's correction.”") in html
    assert escape("The second editor's wording.") in html  # their typing is kept
    assert Finding.objects.get(pk=finding.pk).text == "The first editor's correction."


def test_a_finding_changed_on_its_own_page_refuses_the_event_page_opened_before(
    editor_client, authority
):
    from inspections.models import Finding

    from ..admin_support import form_data
    from ..builders import make_finding, make_theme

    event = make_event(authority)
    finding = make_finding(event, make_theme(), text="Written in the report.")
    event_url = reverse("admin:inspections_visit_change", args=[event.pk])
    event_form = form_data(editor_client.get(event_url))
    Finding.objects.filter(pk=finding.pk).update(text="Changed meanwhile.")
    row = next(k for k, v in event_form.items() if k.endswith("-id") and v == str(finding.pk))
    event_form[row.replace("-id", "-text")] = "Typed on the event page."
    response = editor_client.post(event_url, event_form)
    assert response.status_code == 200
    assert escape("Someone else saved this finding after you opened it") in (
        response.content.decode()
    )
    assert Finding.objects.get(pk=finding.pk).text == "Changed meanwhile."


def test_an_editor_alone_saves_the_same_record_twice_without_a_warning(editor_client, authority):
    from ..admin_support import form_data
    from ..builders import make_finding, make_theme

    finding = make_finding(make_event(authority), make_theme())
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    for text in ("First wording.", "Second wording."):
        data = form_data(editor_client.get(url))
        data["text"] = text
        assert editor_client.post(url, data).status_code == 302


def test_a_finding_too_long_gets_a_message_and_the_database_refuses_it_too(
    editor_client, authority
):
    from django.db import IntegrityError, transaction

    from inspections.models import LONGEST_FINDING, Finding

    from ..admin_support import form_data
    from ..builders import make_finding, make_theme

    finding = make_finding(make_event(authority), make_theme())
    url = reverse("admin:inspections_finding_change", args=[finding.pk])
    data = form_data(editor_client.get(url))
    data["text"] = "x" * (LONGEST_FINDING + 1)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert f"at most {LONGEST_FINDING} characters" in response.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(text="y" * (LONGEST_FINDING + 1))
