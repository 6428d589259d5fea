"""Request bodies larger than a page needs are refused before they are read."""

import http.client
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Event

from ..admin_support import form_data
from ..servers import free_port, gunicorn_command, migrated_sqlite_site, running

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
IMPORT_REPORT = "/admin/inspections/inspection/import-report/"
TOO_LARGE = "What you sent is too large"


class GeneratedUpload(io.RawIOBase):
    """A multipart body of `size` bytes made as it is read, counting what was read.

    Stops after 8 MB, so that a missing limit shows as a failed test, not a full disk.
    """

    BOUNDARY = "ofsted-test-boundary"

    def __init__(self, size: int):
        self.size = size
        self.head = (
            f"--{self.BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="report"; filename="huge.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.bytes_read = 0

    def read(self, n=-1):
        n = 64 * 1024 if n is None or n < 0 else n
        n = min(n, self.size - self.bytes_read, 8 * MB - self.bytes_read)
        if n <= 0:
            return b""
        start = self.bytes_read
        self.bytes_read += n
        chunk = self.head[start : start + n]
        return chunk + b"\0" * (n - len(chunk))

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 1024)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.BOUNDARY}"


def post_generated(client, path, size):
    body = GeneratedUpload(size)
    response = client.generic(
        "POST",
        path,
        b"",
        CONTENT_TYPE=body.content_type,
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
    )
    return response, body


def test_a_400_mb_upload_to_the_sign_in_page_is_refused_unread(client):
    response, body = post_generated(client, reverse("admin:login"), 400 * MB)
    assert response.status_code == 413
    html = response.content.decode()
    assert TOO_LARGE in html and "at most 1 MB" in html and "400 MB" in html
    assert "govuk-frontend" in html and "app-header" in html  # the site's own design
    assert body.bytes_read == 0


def test_a_large_upload_anywhere_else_is_refused_too(client, editor_client):
    for path in (reverse("inspections:timeline"), reverse("admin:inspections_visit_add")):
        response, body = post_generated(editor_client, path, 2 * MB)
        assert response.status_code == 413, path
        assert body.bytes_read == 0


def test_the_report_upload_takes_20_mb_and_no_more(editor_client):
    response, body = post_generated(editor_client, IMPORT_REPORT, 21 * MB)
    assert response.status_code == 413
    assert "at most 20 MB" in response.content.decode()
    assert body.bytes_read == 0
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 " + b"0" * (2 * MB))
    response = editor_client.post(IMPORT_REPORT, {"report": upload})
    assert response.status_code != 413


def test_an_ordinary_sign_in_and_admin_form_still_pass(client, editor_client):
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 200
    assert TOO_LARGE not in response.content.decode()


def test_the_largest_admin_form_has_room_for_30_more_findings(editor_client, seed_data):
    """The graded-inspection add page with every inline, and every seed event's change page,
    fit under DATA_UPLOAD_MAX_NUMBER_FIELDS with room for 30 more findings than the largest
    has: an admin who meets the limit loses what they typed."""
    from django.conf import settings

    from ..builders.records import make_finding, make_theme

    def change_page(event):
        kind = "inspection" if event.is_graded else "visit"
        return reverse(f"admin:inspections_{kind}_change", args=[event.pk])

    counts = {reverse("admin:inspections_inspection_add"): None}
    counts |= {change_page(event): event for event in Event.objects.all()}
    fields = {page: len(form_data(editor_client.get(page))) for page in counts}
    largest = max(fields, key=fields.get)
    event = counts[largest]
    assert event is not None, "the add page is larger than any seed event's page"
    make_finding(event, make_theme())
    per_finding = len(form_data(editor_client.get(largest))) - fields[largest]
    assert per_finding > 0
    assert fields[largest] + 30 * per_finding < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, fields


def test_a_form_with_more_fields_than_the_limit_gets_the_400_page(client):
    from django.conf import settings

    data = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("admin:login"), data)
    assert response.status_code == 400
    assert "govuk-frontend" in response.content.decode()


# gunicorn's own limits (gunicorn.conf.py), on the real server over loopback. ------------


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    env = migrated_sqlite_site(tmp)
    port = free_port()
    with running(gunicorn_command(port, workers=1), port, tmp / "gunicorn.log", env):
        yield port


def status(port: int, path: str, headers: dict) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.django_db(False)
def test_gunicorn_refuses_an_overlong_address_and_too_many_or_too_large_headers(gunicorn_port):
    assert status(gunicorn_port, "/healthz", {}) == 200
    assert status(gunicorn_port, "/healthz?q=" + "a" * 5000, {}) == 414
    many = {f"X-Extra-{n}": "1" for n in range(60)}
    assert status(gunicorn_port, "/healthz", many) == 431
    assert status(gunicorn_port, "/healthz", {"Cookie": "a=" + "b" * 9000}) == 431
