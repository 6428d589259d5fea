"""An editor follows a recommendation through in the admin: dated, sourced status updates
and links to later items. Mistakes get a message on the form and write nothing."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import ConcernStatus, DatePrecision, FindingKind
from inspections.models import (
    EVENT_CHANGE_BREAKS_TRACKING,
    FINDING_CHANGE_BREAKS_TRACKING,
    LINK_NOT_FORWARD,
    UPDATE_BEFORE_ITEM,
    UPDATE_SOURCE_MISSING,
    ConcernLink,
)

from ..admin_support import errors_on, form_data
from ..builders import make_inspection, make_recommendation, make_source, make_theme, make_update
from ..html import page_of
from .test_admin_bad_input import row_counts

pytestmark = pytest.mark.django_db

UPDATES = "status_updates"
LINKS = "later_links"


@pytest.fixture
def items(authority):
    theme = make_theme(name="Supervision")
    first = make_inspection(authority, start_date=datetime.date(2019, 2, 25), title="2019 ILACS")
    second = make_inspection(authority, start_date=datetime.date(2023, 3, 13), title="2023 ILACS")
    return (
        make_recommendation(first, theme, "Improve the frequency of supervision."),
        make_recommendation(second, theme, "Supervision is still irregular."),
    )


def change_url(item) -> str:
    return reverse("admin:inspections_recommendation_change", args=[item.pk])


def with_update(client, item, **values) -> dict:
    data = form_data(client.get(change_url(item)))
    row = {"status": ConcernStatus.PROGRESS, "on": "2020-06-01", "on_precision": "day"}
    row |= {"quote": "Supervision is now monthly.", "note": "", "source": ""} | values
    data.update({f"{UPDATES}-0-{name}": str(value) for name, value in row.items()})
    return data


def test_an_editor_adds_a_status_update_and_sees_it_on_the_public_page(
    editor_client, items, authority
):
    item, _ = items
    letter = make_source(title="Monitoring visit letter, June 2020")
    response = editor_client.post(
        change_url(item), with_update(editor_client, item, source=letter.pk)
    )
    assert response.status_code == 302, errors_on(response)
    update = item.status_updates.get()
    assert (update.status, update.on, update.source) == (
        ConcernStatus.PROGRESS,
        datetime.date(2020, 6, 1),
        letter,
    )
    assert update.history.count() == 1
    page = page_of(
        editor_client.get(reverse("inspections:council_recommendations", args=[authority.slug]))
    )
    assert "Supervision is now monthly." in page
    assert "Monitoring visit letter, June 2020" in page


def test_an_update_without_a_source_gets_a_message_and_nothing_is_saved(editor_client, items):
    item, _ = items
    data = with_update(editor_client, item)
    before = row_counts()
    response = editor_client.post(change_url(item), data)
    assert response.status_code == 200
    assert UPDATE_SOURCE_MISSING in errors_on(response)
    assert row_counts() == before
    # What the editor typed is still there, to correct and send again.
    assert page_of(response).value(f"{UPDATES}-0-quote") == "Supervision is now monthly."


def test_an_update_dated_before_the_inspection_gets_a_message(editor_client, items):
    item, _ = items
    data = with_update(editor_client, item, on="2018-12-01", source=make_source().pk)
    before = row_counts()
    response = editor_client.post(change_url(item), data)
    assert response.status_code == 200
    assert UPDATE_BEFORE_ITEM in errors_on(response)
    assert row_counts() == before


def test_a_month_not_entered_as_its_first_day_gets_a_message(editor_client, items):
    item, _ = items
    data = with_update(
        editor_client,
        item,
        on="2020-06-15",
        on_precision=DatePrecision.MONTH,
        source=make_source().pk,
    )
    response = editor_client.post(change_url(item), data)
    assert response.status_code == 200
    assert any("first day" in message for message in errors_on(response))


def test_an_editor_links_an_item_to_a_later_one(editor_client, items):
    earlier, later = items
    data = form_data(editor_client.get(change_url(earlier)))
    data |= {
        f"{LINKS}-0-later": str(later.pk),
        f"{LINKS}-0-reason": "The 2023 report repeats the 2019 recommendation on supervision.",
        f"{LINKS}-0-source": str(later.source_id),
    }
    response = editor_client.post(change_url(earlier), data)
    assert response.status_code == 302, errors_on(response)
    assert ConcernLink.objects.get().later == later


def test_a_link_backwards_in_time_gets_the_databases_sentence_on_the_form(editor_client, items):
    earlier, later = items
    data = form_data(editor_client.get(change_url(later)))
    data |= {
        f"{LINKS}-0-later": str(earlier.pk),
        f"{LINKS}-0-reason": "Same concern.",
        f"{LINKS}-0-source": str(earlier.source_id),
    }
    before = row_counts()
    response = editor_client.post(change_url(later), data)
    assert response.status_code == 200
    assert LINK_NOT_FORWARD in errors_on(response)
    assert row_counts() == before


def test_the_list_shows_each_recommendation_with_its_latest_status(editor_client, items):
    item, other = items
    make_update(item, ConcernStatus.ADDRESSED, on=datetime.date(2021, 1, 4))
    page = page_of(editor_client.get(reverse("admin:inspections_recommendation_changelist")))
    header, *rows = page.by_id("result_list").rows()
    status = {row[0]: row[-1] for row in rows}
    assert header == [
        "Recommendation",
        "Council",
        "Inspection or visit",
        "Theme",
        "Latest status",
    ]
    assert status == {
        "Improve the frequency of supervision.": "Addressed",
        "Supervision is still irregular.": "Raised",
    }


def test_the_admin_index_offers_recommendations_as_a_starting_point(editor_client):
    page = page_of(editor_client.get(reverse("admin:index")))
    links = dict(page.links())
    assert links.get("Recommendations") == reverse("admin:inspections_recommendation_changelist")


def test_a_strength_is_not_listed_as_a_recommendation(editor_client, items, authority):
    from ..builders import make_finding

    strength = make_finding(items[0].event, items[0].theme, "Leaders know their services.")
    response = editor_client.get(change_url(strength))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_moving_an_inspection_after_its_linked_item_gets_a_message_not_an_error(
    editor_client, items
):
    earlier, later = items
    make_update(earlier, on=datetime.date(2019, 6, 3))
    url = reverse("admin:inspections_inspection_change", args=[earlier.event_id])
    data = form_data(editor_client.get(url)) | {"start_date": "2019-07-01"}
    before = row_counts()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert EVENT_CHANGE_BREAKS_TRACKING in errors_on(response)
    assert row_counts() == before


def test_a_tracked_item_cannot_be_made_a_strength_on_its_inspections_page(editor_client, items):
    earlier, later = items
    make_update(earlier)
    url = reverse("admin:inspections_inspection_change", args=[earlier.event_id])
    data = form_data(editor_client.get(url))
    (prefix,) = [
        name.removesuffix("-id")
        for name, value in data.items()
        if name.startswith("findings-") and name.endswith("-id") and value == str(earlier.pk)
    ]
    data[f"{prefix}-kind"] = FindingKind.STRENGTH
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert FINDING_CHANGE_BREAKS_TRACKING in errors_on(response)
    earlier.refresh_from_db()
    assert earlier.kind == FindingKind.IMPROVEMENT
