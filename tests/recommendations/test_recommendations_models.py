"""A broken chain of recommendations is refused on every path that writes one.

The rules that span rows are in inspections/models/rules.py. The admin's forms reach them
through full_clean() (tests/admin/test_recommendations_admin.py shows the sentences on
the forms); here full_clean() and the seed are each shown to refuse with the same
sentence, and to write nothing.
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from inspections import models
from inspections.choices import ConcernStatus, FindingKind
from inspections.models import ConcernLink, Event, Finding, StatusUpdate
from inspections.official_data.seeding import add_missing_from_fixture

from ..builders import (
    make_authority,
    make_inspection,
    make_link,
    make_recommendation,
    make_source,
    make_theme,
    make_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(authority):
    """Two inspections a year apart, each with one recommendation on the same theme."""
    theme = make_theme()
    first = make_inspection(authority, start_date=datetime.date(2019, 3, 4))
    second = make_inspection(authority, start_date=datetime.date(2020, 3, 2))
    return (
        make_recommendation(first, theme, "Improve supervision."),
        make_recommendation(second, theme, "Supervision is still not regular."),
    )


def refused(record, message: str, field: str | None = None) -> None:
    """full_clean() refuses `record` with `message` (beside `field`, when given)."""
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert message in caught.value.messages
    if field:
        assert message in caught.value.message_dict[field]


def new_link(earlier, later) -> ConcernLink:
    return ConcernLink(earlier=earlier, later=later, reason="Same words.", source=later.source)


def test_a_link_forward_in_time_is_kept(chain):
    earlier, later = chain
    make_link(earlier, later)
    assert list(earlier.later_links.values_list("later", flat=True)) == [later.pk]


def test_a_link_going_back_in_time_is_refused_so_no_cycle_can_form(chain):
    earlier, later = chain
    make_link(earlier, later)
    refused(new_link(later, earlier), models.LINK_NOT_FORWARD, "later")


def test_turning_a_link_round_is_refused(chain):
    earlier, later = chain
    link = make_link(earlier, later)
    link.earlier, link.later = later, earlier
    refused(link, models.LINK_NOT_FORWARD, "later")


def test_a_link_between_items_of_the_same_inspection_is_refused(chain):
    earlier, _ = chain
    sibling = make_recommendation(earlier.event, earlier.theme, "Another one.")
    refused(new_link(earlier, sibling), models.LINK_NOT_FORWARD, "later")


def test_a_link_to_itself_is_refused_by_its_constraint(chain):
    earlier, _ = chain
    refused(new_link(earlier, earlier), models.LINK_TO_ITSELF)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernLink.objects.bulk_create([new_link(earlier, earlier)])


def test_a_link_to_a_strength_is_refused(chain):
    earlier, later = chain
    Finding.objects.filter(pk=later.pk).update(kind=FindingKind.STRENGTH)
    refused(new_link(earlier, later), models.LINK_NOT_IMPROVEMENT, "later")


def test_a_link_to_another_councils_item_is_refused(chain):
    earlier, _ = chain
    elsewhere = make_inspection(make_authority(), start_date=datetime.date(2022, 1, 10))
    other = make_recommendation(elsewhere, earlier.theme)
    refused(new_link(earlier, other), models.LINK_OTHER_COUNCIL, "later")


def test_an_update_without_a_source_is_refused_by_the_database(chain):
    item, _ = chain
    update = StatusUpdate(
        finding=item, status=ConcernStatus.PROGRESS, on=datetime.date(2019, 9, 1), source=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.bulk_create([update])
    assert not StatusUpdate.objects.exists()


def test_an_update_without_a_date_is_refused_by_the_database(chain):
    item, _ = chain
    update = make_update(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(on=None)
    update.refresh_from_db()
    assert update.on is not None


def test_an_update_dated_before_its_item_is_refused(chain):
    item, _ = chain
    update = StatusUpdate(
        finding=item,
        status=ConcernStatus.ADDRESSED,
        on=item.event.start_date - datetime.timedelta(days=1),
        source=make_source(),
    )
    refused(update, models.UPDATE_BEFORE_ITEM, "on")


def test_an_update_on_the_day_the_item_was_raised_is_kept(chain):
    item, _ = chain
    make_update(item, ConcernStatus.RAISED, on=item.event.start_date)
    assert item.status_updates.get().status == ConcernStatus.RAISED


def test_an_update_of_a_strength_is_refused(chain):
    item, _ = chain
    Finding.objects.filter(pk=item.pk).update(kind=FindingKind.STRENGTH)
    update = StatusUpdate(
        finding=item,
        status=ConcernStatus.PROGRESS,
        on=datetime.date(2019, 9, 1),
        source=make_source(),
    )
    refused(update, models.UPDATE_NOT_IMPROVEMENT, "finding")


def test_moving_an_inspection_after_the_item_it_links_to_is_refused(chain):
    earlier, later = chain
    make_link(earlier, later)
    event = Event.objects.get(pk=earlier.event_id)
    event.start_date = datetime.date(2021, 1, 4)
    refused(event, models.EVENT_CHANGE_BREAKS_TRACKING, "start_date")


def test_moving_an_inspection_to_another_council_is_refused(chain):
    earlier, later = chain
    make_link(earlier, later)
    event = Event.objects.get(pk=later.event_id)
    event.authority = make_authority()
    refused(event, models.EVENT_CHANGE_BREAKS_TRACKING, "start_date")


def test_moving_an_inspection_after_an_update_of_its_item_is_refused(chain):
    item, _ = chain
    make_update(item, on=datetime.date(2019, 6, 1))
    event = Event.objects.get(pk=item.event_id)
    event.start_date = datetime.date(2019, 7, 1)
    refused(event, models.EVENT_CHANGE_BREAKS_TRACKING, "start_date")


def test_moving_an_inspection_without_breaking_anything_is_kept(chain):
    earlier, later = chain
    make_link(earlier, later)
    event = Event.objects.get(pk=earlier.event_id)
    event.start_date = datetime.date(2018, 3, 5)
    event.full_clean()
    event.save()
    assert Event.objects.get(pk=earlier.event_id).start_date == datetime.date(2018, 3, 5)


def test_a_linked_item_cannot_become_a_strength(chain):
    earlier, later = chain
    make_link(earlier, later)
    later.kind = FindingKind.STRENGTH
    refused(later, models.FINDING_CHANGE_BREAKS_TRACKING, "kind")


def test_an_updated_item_cannot_move_to_another_event(chain):
    item, later = chain
    make_update(item)
    item.event = later.event
    refused(item, models.FINDING_CHANGE_BREAKS_TRACKING, "kind")


@pytest.fixture
def fixture_dir(tmp_path, settings):
    settings.FIXTURE_DIRS = [tmp_path]
    return tmp_path


def seed_with(fixture_dir, records: list[dict]) -> None:
    (fixture_dir / "broken.json").write_text(json.dumps(records))
    add_missing_from_fixture("broken")


def test_the_seed_refuses_a_link_going_back_in_time(chain, fixture_dir):
    earlier, later = chain
    link = {
        "model": "inspections.concernlink",
        "pk": 900,
        "fields": {
            "earlier": later.pk,
            "later": earlier.pk,
            "reason": "Same words.",
            "source": earlier.source_id,
        },
    }
    with pytest.raises(CommandError, match="links go forward in time"):
        seed_with(fixture_dir, [link])
    assert not ConcernLink.objects.exists()


def test_the_seed_refuses_an_update_dated_before_its_item(chain, fixture_dir):
    item, _ = chain
    update = {
        "model": "inspections.statusupdate",
        "pk": 900,
        "fields": {
            "finding": item.pk,
            "status": ConcernStatus.PROGRESS,
            "on": "2019-01-01",
            "on_precision": "day",
            "quote": "",
            "note": "",
            "source": item.source_id,
        },
    }
    with pytest.raises(CommandError) as caught:
        seed_with(fixture_dir, [update])
    assert models.UPDATE_BEFORE_ITEM in str(caught.value)
    assert not StatusUpdate.objects.exists()


def test_the_seed_writes_a_link_that_keeps_the_rules(chain, fixture_dir):
    earlier, later = chain
    link = {
        "model": "inspections.concernlink",
        "pk": 900,
        "fields": {
            "earlier": earlier.pk,
            "later": later.pk,
            "reason": "Same words.",
            "source": later.source_id,
        },
    }
    seed_with(fixture_dir, [link])
    assert ConcernLink.objects.get().later == later


def test_the_database_keeps_no_tracking_triggers():
    """The rules are in Python: migration 0016 dropped the triggers that repeated them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid::regclass::text LIKE 'inspections_%'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert cursor.fetchall() == []
