"""Every source is cited by what a reader can find (title, publisher, date and, where
there is one, a link), never by the project's internal file names."""

import re

import pytest
from django.urls import reverse

from inspections.choices import SourceKind
from inspections.models import Event, Source

from ..builders import make_event, make_source

pytestmark = pytest.mark.django_db


def public_addresses() -> list[str]:
    addresses = [
        reverse("inspections:timeline"),
        reverse("inspections:sources"),
        reverse("inspections:summary"),
        reverse("inspections:timeline_csv"),
        reverse("inspections:timeline_json"),
        reverse("inspections:planned_ics"),
        reverse("inspections:council_side_by_side", args=["west-sussex"]),
    ]
    for event in Event.objects.all():
        addresses += [
            event.get_absolute_url(),
            reverse("inspections:event_summary", args=[event.slug]),
        ]
    return addresses


def test_no_page_printout_or_export_names_a_source_by_its_internal_file(client, seed_data):
    references = list(Source.objects.values_list("seed_file", flat=True))
    assert any(ref.endswith(".txt") for ref in references)
    for address in public_addresses():
        body = client.get(address).content.decode()
        for reference in references:
            assert reference not in body, (address, reference)
        assert not re.search(r"\b\d{3}_[0-9a-f]{16}\.txt\b", body), address


def test_a_source_links_to_its_original_or_says_it_has_no_address(client, authority):
    linked = make_source(
        title="Ofsted report on Testshire", url="https://reports.ofsted.gov.uk/provider/44/1"
    )
    unlinked = make_source(title="A local newspaper's report", kind=SourceKind.NEWS)
    make_event(authority, source=linked)
    make_event(authority, source=unlinked)
    page = client.get(reverse("inspections:sources")).content.decode()
    assert 'href="https://reports.ofsted.gov.uk/provider/44/1"' in page
    assert "No web address is recorded for this news report." in page


def test_a_source_added_in_the_admin_needs_no_reference_and_gets_one(editor_client):
    add = reverse("admin:inspections_source_add")
    page = editor_client.get(add).content.decode()
    assert 'name="seed_file"' not in page
    response = editor_client.post(
        add,
        {
            "title": "Ofsted inspection of Testshire",
            "kind": SourceKind.REPORT,
            "publisher": "Ofsted",
            "published_on": "2024-05-01",
            "published_on_precision": "day",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Ofsted inspection of Testshire")
    assert source.seed_file == "source-ofsted-inspection-of-testshire-2024"
    twin = Source.objects.create(
        title=source.title, kind=SourceKind.REPORT, published_on=source.published_on
    )
    assert twin.seed_file == "source-ofsted-inspection-of-testshire-2024-2"
