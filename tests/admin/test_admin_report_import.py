"""Admin: "Add from an Ofsted report" fills in the new inspection's form from the report's
PDF; nothing is saved until the editor presses Save, and a file that is not a report gets
a message on the form."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.choices import FindingKind, Grade, JudgementArea, SourceKind
from inspections.models import Event, LocalAuthority, Source
from tests.shared_files import report

from ..admin_support import PASSWORD, form_data, make_editor, make_viewer
from ..builders import make_theme
from ..html import page_of

IMPORT = reverse("admin:inspections_inspection_import_report")
THEMES = [
    "Child protection",
    "Care leavers",
    "Children in care",
    "Placements",
    "Health",
    "Homeless 16 and 17 year olds",
    "Missing from home",
]


def report_2023() -> bytes:
    """West Sussex's 2023 report, from the sample reports folder."""
    return report("80578-west-sussex-2023-05-11.pdf").read_bytes()


def upload(client, content: bytes, name: str = "report.pdf"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(IMPORT, {"report": file})


@pytest.fixture
def west_sussex(db):
    """A council and its themes, as an editor has set them up: no inspections yet."""
    for name in THEMES:
        make_theme(name=name)
    return LocalAuthority.objects.create(name="West Sussex County Council", slug="west-sussex")


@pytest.mark.django_db
def test_the_report_fills_in_the_form_and_nothing_is_saved_before_save(editor_client, west_sussex):
    response = upload(editor_client, report_2023())
    assert response.status_code == 302
    assert Event.objects.count() == 0 and Source.objects.count() == 0
    form = page_of(editor_client.get(response["Location"]))
    assert form.value("authority") == str(west_sussex.pk)
    assert form.value("framework") == "ilacs"
    assert form.value("inspection_type") == "standard"
    assert form.value("start_date") == "13/03/2023" or form.value("start_date") == "2023-03-13"
    assert form.value("lead_inspector") == "Maire Atherton"
    assert form.value("report_title").startswith("West Sussex County Council: Ofsted inspection")
    assert form.value("report_url") == ""  # the council has no Ofsted page recorded here
    grades = {
        form.value(f"judgements-{n}-area"): form.value(f"judgements-{n}-grade") for n in range(5)
    }
    assert grades[JudgementArea.CHILDREN_IN_CARE] == Grade.GOOD
    assert grades[JudgementArea.OVERALL] == Grade.REQUIRES_IMPROVEMENT
    assert form.value("findings-2-text") == (
        "The response to children aged 16 to 17 who present as homeless."
    )
    assert form.value("findings-0-kind") == FindingKind.IMPROVEMENT


@pytest.mark.django_db
def test_an_editor_saves_the_inspection_from_its_report(editor_client, west_sussex):
    location = upload(editor_client, report_2023())["Location"]
    data = form_data(editor_client.get(location))
    themes = [v for k, v in data.items() if re.fullmatch(r"findings-[0-6]-theme", k)]
    assert len(themes) == 7 and all(themes)  # each recommendation's theme suggested
    response = editor_client.post(location, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (
        datetime.date(2023, 3, 13),
        datetime.date(2023, 3, 24),
    )
    report = Source.objects.get(kind=SourceKind.REPORT)
    assert report.publisher == "Ofsted"
    assert list(event.sources.all()) == [report]
    assert {j.area: j.grade for j in event.judgements.all()} == {
        JudgementArea.OVERALL: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.CHILDREN_IN_CARE: Grade.GOOD,
        JudgementArea.CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.LEADERSHIP: Grade.GOOD,
    }
    assert event.findings.filter(kind=FindingKind.IMPROVEMENT).count() == 7
    assert all(f.source == report for f in event.findings.all())
    assert all(j.source == report for j in event.judgements.all())


@pytest.mark.django_db
def test_a_file_that_is_not_a_report_gets_a_message_and_saves_nothing(editor_client, tmp_path):
    response = upload(editor_client, b"<html><body>Saved web page</body></html>")
    page = page_of(response)
    assert response.status_code == 200
    assert "not a PDF" in page.text or "is not a PDF" in page.text, page.text[:500]
    assert Source.objects.count() == 0 and Event.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_with_a_message(editor_client, monkeypatch):
    from inspections.admin import report_import as admin_report_import

    monkeypatch.setattr(admin_report_import, "MAX_UPLOAD_BYTES", 1000)
    response = upload(editor_client, b"%PDF-1.7\n" + b"0" * 2000)
    assert "The file is larger than 20 MB" in page_of(response).text


@pytest.mark.django_db
def test_no_file_chosen_gets_a_message(editor_client):
    response = editor_client.post(IMPORT, {})
    assert "Choose the report's PDF file." in page_of(response).text


@pytest.mark.django_db
def test_a_viewer_cannot_import_a_report(client):
    client.force_login(make_viewer())
    assert client.get(IMPORT).status_code == 403


@pytest.mark.django_db
def test_the_inspections_list_and_the_admin_index_offer_the_import(editor_client):
    listing = page_of(editor_client.get(reverse("admin:inspections_inspection_changelist")))
    assert ("Add from an Ofsted report", IMPORT) in listing.links()
    index = page_of(editor_client.get(reverse("admin:index")))
    assert ("Add a graded inspection from its Ofsted report", IMPORT) in index.links()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_imports_the_2023_report_into_an_empty_database_and_sees_it(live_server, page):
    content = report_2023()
    for name in THEMES:
        make_theme(name=name)
    LocalAuthority.objects.create(name="West Sussex County Council", slug="west-sussex")
    make_editor("eddie")
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.get_by_role("link", name="Add a graded inspection from its Ofsted report").click()
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "west-sussex-2023.pdf", "mimeType": "application/pdf", "buffer": content}],
    )
    page.get_by_role("button", name="Read the report").click()
    page.get_by_text("was read. Check the form").wait_for()
    page.locator("input[name=_save]").first.click()
    page.get_by_text(re.compile("was added successfully")).wait_for()

    event = Event.objects.get()
    page.goto(live_server.url + "/")
    page.get_by_role("heading", name=event.title).first.wait_for()
    assert event.judgements.count() == 5
