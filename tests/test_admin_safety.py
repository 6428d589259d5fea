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

from .admin_support import make_user
from .builders import make_event, make_source

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
