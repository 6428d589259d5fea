"""Who may reach the admin, and what each role may do there."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from inspections.admin.roles import EDITORS, VIEWERS
from inspections.choices import Grade, JudgementArea
from inspections.models import Event, Judgement, Source

from ..admin_support import form_data, make_editor, make_user, make_viewer
from ..builders import make_event, make_inspection, make_source
from ..html import page_of

pytestmark = pytest.mark.django_db


def test_the_migrations_create_the_editor_and_viewer_groups():
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name=VIEWERS).permissions.values_list("codename", flat=True))
    for model in ("inspection", "visit", "finding", "judgement", "figure", "statement", "source"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= editors
        assert f"view_{model}" in viewers
    assert "delete_source" not in editors
    assert all(codename.startswith("view_") for codename in viewers)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    for url in (
        reverse("admin:index"),
        reverse("admin:inspections_visit_add"),
        reverse("admin:inspections_finding_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login") + "?next=")


def test_a_signed_in_user_who_is_not_staff_cannot_reach_the_admin(client):
    client.force_login(make_user("officer", EDITORS, staff=False))
    response = client.get(reverse("admin:inspections_visit_add"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    login_page = page_of(client.get(response.url))
    assert "not authorized to access this page" in login_page


def test_a_viewer_sees_a_record_but_gets_403_when_changing_it(client, authority):
    visit = make_event(authority, title="Monitoring visit as it was")
    url = reverse("admin:inspections_visit_change", args=[visit.pk])
    editor = make_editor()
    client.force_login(editor)
    data = form_data(client.get(url))
    data["title"] = "Changed by a viewer"
    client.force_login(make_viewer())

    page = client.get(url)
    assert page.status_code == 200
    assert not page_of(page).find_all(name="_save"), "no Save button"
    response = client.post(url, data)
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.title == "Monitoring visit as it was"


def test_a_viewer_can_add_and_delete_nothing(client, authority):
    visit = make_event(authority)
    client.force_login(make_viewer())
    for name in ("visit", "inspection", "finding", "judgement", "figure", "statement", "source"):
        assert client.get(reverse(f"admin:inspections_{name}_add")).status_code == 403
    delete = reverse("admin:inspections_visit_delete", args=[visit.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=visit.pk).exists()


def test_an_editor_cannot_delete_a_source(client):
    source = make_source()
    client.force_login(make_editor())
    url = reverse("admin:inspections_source_delete", args=[source.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()
    changelist = page_of(client.get(reverse("admin:inspections_source_changelist")))
    actions = [option.attrs.get("value") for option in changelist.find_all("option")]
    assert "delete_selected" not in actions


def test_deleting_an_inspection_that_has_judgements_shows_what_protects_it(client, authority):
    inspection = make_inspection(authority, title="Inspection with grades")
    Judgement.objects.create(
        event=inspection,
        area=JudgementArea.OVERALL,
        grade=Grade.INADEQUATE,
        source=inspection.sources.get(),
    )
    client.force_login(make_editor())
    url = reverse("admin:inspections_inspection_delete", args=[inspection.pk])

    page = client.get(url)
    assert page.status_code == 200
    refusal = page_of(page)
    assert "would require deleting the following protected related objects" in refusal
    assert "Overall effectiveness: Inadequate" in refusal
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Event.objects.filter(pk=inspection.pk).exists()


def test_deleting_a_protected_inspection_from_the_list_is_refused_the_same_way(client, authority):
    inspection = make_inspection(authority)
    Judgement.objects.create(
        event=inspection, area="overall", grade=Grade.GOOD, source=inspection.sources.get()
    )
    client.force_login(make_editor())
    response = client.post(
        reverse("admin:inspections_inspection_changelist"),
        {"action": "delete_selected", "_selected_action": [inspection.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "protected related objects" in page_of(response)
    assert Event.objects.filter(pk=inspection.pk).exists()
