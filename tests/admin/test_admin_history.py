"""Every change is recorded with who, when and what, and a deleted record can be restored."""

import pytest
from django.urls import reverse

from inspections.choices import FindingKind
from inspections.models import Event, EventSource, Finding
from inspections.models.history import BASELINE_REASON

from ..admin_support import form_data, make_editor, make_viewer
from ..builders import make_event, make_finding, make_theme
from ..html import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def finding_row(data, finding) -> str:
    """The name of the findings inline's id field for `finding`, e.g. 'findings-0-id'."""
    return next(
        key
        for key, value in data.items()
        if key.startswith("findings-") and key.endswith("-id") and value == str(finding.pk)
    )


def change_text_on_the_visit_page(client, finding, new_text):
    url = reverse("admin:inspections_visit_change", args=[finding.event_id])
    data = form_data(client.get(url))
    row = finding_row(data, finding)
    data[row.replace("-id", "-text")] = new_text
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_history_of_a_changed_finding_shows_who_changed_the_old_and_the_new_text(
    editor_client, authority
):
    visit = make_event(authority)
    finding = make_finding(visit, make_theme(), text="Caseloads are too high.")

    change_text_on_the_visit_page(editor_client, finding, "Caseloads are now manageable.")

    finding.refresh_from_db()
    assert finding.text == "Caseloads are now manageable."
    history = editor_client.get(reverse("admin:inspections_finding_history", args=[finding.pk]))
    header, latest, *_ = page_of(history).by_id("change-history").rows()
    latest = dict(zip(header, latest, strict=True))
    assert latest["Comment"] == "Changed"
    assert latest["Changed by"] == "editor"
    assert "Caseloads are too high." in latest["Changes"]
    assert "Caseloads are now manageable." in latest["Changes"]


def test_a_finding_loaded_without_history_still_shows_the_text_it_had(editor_client, authority):
    visit = make_event(authority)
    theme = make_theme()
    # The seed fixture and bulk loads write no history rows.
    (finding,) = Finding.objects.bulk_create(
        [
            Finding(
                event=visit,
                kind=FindingKind.STRENGTH,
                text="As the article put it.",
                theme=theme,
                source=visit.sources.get(),
            )
        ]
    )
    assert not Finding.history.filter(id=finding.pk).exists()

    change_text_on_the_visit_page(editor_client, finding, "As corrected by an editor.")

    history = page_of(
        editor_client.get(reverse("admin:inspections_finding_history", args=[finding.pk]))
    )
    assert "As the article put it." in history
    assert "As corrected by an editor." in history
    assert BASELINE_REASON in history


def test_changes_made_on_a_visit_page_record_the_editor_for_the_visit_and_its_rows(
    editor_client, editor, authority
):
    visit = make_event(authority)
    finding = make_finding(visit, make_theme())
    change_text_on_the_visit_page(editor_client, finding, "New wording.")
    assert Finding.history.filter(id=finding.pk).latest().history_user == editor
    assert Event.history.filter(id=visit.pk).latest().history_user == editor


def delete_on_the_visit_page(client, finding):
    url = reverse("admin:inspections_visit_change", args=[finding.event_id])
    data = form_data(client.get(url))
    row = finding_row(data, finding)
    data[row.replace("-id", "-DELETE")] = "on"
    assert client.post(url, data).status_code == 302


def test_a_deleted_finding_is_listed_and_can_be_restored_from_its_history(editor_client, authority):
    visit = make_event(authority)
    finding = make_finding(visit, make_theme(), text="Leaders have a clear plan.")
    pk = finding.pk
    delete_on_the_visit_page(editor_client, finding)
    assert not Finding.objects.filter(pk=pk).exists()
    event_page = reverse("inspections:event", args=[visit.slug])
    assert "Leaders have a clear plan." not in page_of(editor_client.get(event_page))

    changelist = page_of(editor_client.get(reverse("admin:inspections_finding_changelist")))
    recover_url = reverse("admin:inspections_finding_recover")
    assert ("Deleted findings", recover_url) in changelist.links()
    deleted = page_of(editor_client.get(recover_url))
    deletion = Finding.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:inspections_finding_simple_history", args=[pk, deletion.pk])
    assert ("Strength: Leaders have a clear plan.", revert_url) in deleted.links()

    response = editor_client.post(revert_url, form_data(editor_client.get(revert_url)), follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:inspections_finding_change", args=[pk])
    assert "was restored from its history" in page_of(response)
    restored = Finding.objects.get(pk=pk)
    assert restored.text == "Leaders have a clear plan."
    assert restored.event == visit
    assert "Leaders have a clear plan." in page_of(editor_client.get(event_page))
    assert "Leaders have a clear plan." not in page_of(editor_client.get(recover_url))


def test_a_deleted_visit_comes_back_with_its_sources(editor_client, authority):
    visit = make_event(authority, title="Visit deleted by mistake")
    source = visit.sources.get()
    pk = visit.pk
    delete_url = reverse("admin:inspections_visit_delete", args=[pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=pk).exists()
    assert not EventSource.objects.filter(event_id=pk).exists()

    deleted = page_of(editor_client.get(reverse("admin:inspections_visit_recover")))
    assert "Visit deleted by mistake" in deleted.by_id("deleted-records")
    deletion = Event.history.filter(id=pk, history_type="-").get()
    revert_url = reverse("admin:inspections_visit_simple_history", args=[pk, deletion.pk])
    response = editor_client.post(revert_url, form_data(editor_client.get(revert_url)))

    assert response.status_code == 302
    assert Event.objects.get(pk=pk).title == "Visit deleted by mistake"
    assert list(Event.objects.get(pk=pk).sources.all()) == [source]


def test_a_viewer_can_read_the_history_but_cannot_restore_from_it(client, authority):
    visit = make_event(authority)
    finding = make_finding(visit, make_theme(), text="Original text.")
    Finding.objects.filter(pk=finding.pk).update(text="Changed without the admin.")
    record = Finding.history.filter(id=finding.pk).earliest()
    client.force_login(make_viewer())

    history = client.get(reverse("admin:inspections_finding_history", args=[finding.pk]))
    assert history.status_code == 200
    revert_url = reverse("admin:inspections_finding_simple_history", args=[finding.pk, record.pk])
    page = client.get(revert_url)
    assert page.status_code == 200
    controls = [e for e in page_of(page).elements() if e.tag in ("input", "button")]
    assert not [c for c in controls if "Revert" in (c.attrs.get("value"), c.text)]

    response = client.post(revert_url, {"event": visit.pk, "text": "Original text."})
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.text == "Changed without the admin."


def test_a_viewer_cannot_restore_a_deleted_finding(client, authority):
    visit = make_event(authority)
    finding = make_finding(visit, make_theme(), text="Gone.")
    pk = finding.pk
    finding.delete()
    deletion = Finding.history.filter(id=pk, history_type="-").get()
    client.force_login(make_viewer())
    revert_url = reverse("admin:inspections_finding_simple_history", args=[pk, deletion.pk])
    response = client.post(revert_url, {"text": "Gone."})
    assert response.status_code == 403
    assert not Finding.objects.filter(pk=pk).exists()


def test_an_events_history_lists_the_changes_made_to_its_findings(editor_client, authority):
    visit = make_event(authority, title="Visit with an edited finding")
    kept = make_finding(visit, make_theme(), text="Found at the visit.")
    dropped = make_finding(visit, make_theme(), text="Entered by mistake.")
    change_text_on_the_visit_page(editor_client, kept, "Found at the visit, reworded.")
    delete_on_the_visit_page(editor_client, dropped)

    history = page_of(
        editor_client.get(reverse("admin:inspections_visit_history", args=[visit.pk]))
    )

    rows = history.table_rows(
        "Changes to its sources, judgements, findings, figures and statements"
    )
    changes = [(what, change) for _, what, change, _ in rows[1:]]
    assert ("Finding: Strength: Found at the visit, reworded.", "Changed") in changes
    assert ("Finding: Strength: Entered by mistake.", "Deleted (see it and restore it)") in changes
    deletion = Finding.history.filter(id=dropped.pk, history_type="-").get()
    restore = reverse("admin:inspections_finding_simple_history", args=[dropped.pk, deletion.pk])
    links = history.by_id("fact-history").links()
    assert ("see it and restore it", restore) in links
    kept_history = reverse("admin:inspections_finding_history", args=[kept.pk])
    assert ("Strength: Found at the visit, reworded.", kept_history) in links


@pytest.mark.parametrize(
    "url",
    [
        "/admin/inspections/finding/abc/history/",
        "/admin/inspections/visit/abc/history/",
        "/admin/inspections/finding/1/history/abc/",
        "/admin/inspections/inspection/999999/history/",
    ],
)
def test_a_mistyped_history_address_is_not_found_rather_than_an_error(editor_client, url):
    assert editor_client.get(url).status_code == 404
