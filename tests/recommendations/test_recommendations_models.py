"""The database itself refuses a broken chain of recommendations, whatever is in front of it.

QuerySet.update and bulk_create skip clean(), so each test here reaches the triggers of
inspections/triggers.py (SQLite, or PostgreSQL when DATABASE_URL names one), and
checks that the sentence the database gives is the one clean() gives the admin.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from inspections import models
from inspections.choices import ConcernStatus, FindingKind
from inspections.models import ConcernLink, Event, Finding, StatusUpdate
from inspections.recommendations import triggers

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


def refused(model, action, message: str) -> None:
    """`action` is refused by the database with `message`, and adds no row of `model`."""
    before = model.objects.count()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    assert message in str(caught.value)
    assert model.objects.count() == before


def new_link(earlier, later) -> ConcernLink:
    return ConcernLink(earlier=earlier, later=later, reason="Same words.", source=later.source)


def test_a_link_forward_in_time_is_kept(chain):
    earlier, later = chain
    make_link(earlier, later)
    assert list(earlier.later_links.values_list("later", flat=True)) == [later.pk]


def test_a_link_going_back_in_time_is_refused_so_no_cycle_can_form(chain):
    earlier, later = chain
    make_link(earlier, later)
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(later, earlier)]),
        models.LINK_NOT_FORWARD,
    )


def test_turning_a_link_round_with_an_update_is_refused(chain):
    earlier, later = chain
    link = make_link(earlier, later)
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.filter(pk=link.pk).update(earlier=later, later=earlier),
        models.LINK_NOT_FORWARD,
    )
    link.refresh_from_db()
    assert (link.earlier_id, link.later_id) == (earlier.pk, later.pk)


def test_a_link_between_items_of_the_same_inspection_is_refused(chain):
    earlier, _ = chain
    sibling = make_recommendation(earlier.event, earlier.theme, "Another one.")
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(earlier, sibling)]),
        models.LINK_NOT_FORWARD,
    )


def test_a_link_to_itself_is_refused(chain):
    earlier, _ = chain
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(earlier, earlier)]),
        models.LINK_TO_ITSELF,
    )


def test_a_link_to_a_strength_is_refused(chain):
    earlier, later = chain
    Finding.objects.filter(pk=later.pk).update(kind=FindingKind.STRENGTH)
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(earlier, later)]),
        models.LINK_NOT_IMPROVEMENT,
    )


def test_a_link_to_another_councils_item_is_refused(chain):
    earlier, _ = chain
    elsewhere = make_inspection(make_authority(), start_date=datetime.date(2022, 1, 10))
    other = make_recommendation(elsewhere, earlier.theme)
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(earlier, other)]),
        models.LINK_OTHER_COUNCIL,
    )


def test_an_update_without_a_source_is_refused(chain):
    item, _ = chain
    update = StatusUpdate(
        finding=item, status=ConcernStatus.PROGRESS, on=datetime.date(2019, 9, 1), source=None
    )
    refused(StatusUpdate, lambda: StatusUpdate.objects.bulk_create([update]), "")


def test_an_update_without_a_date_is_refused(chain):
    item, _ = chain
    update = make_update(item)
    refused(StatusUpdate, lambda: StatusUpdate.objects.filter(pk=update.pk).update(on=None), "")
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
    refused(
        StatusUpdate,
        lambda: StatusUpdate.objects.bulk_create([update]),
        models.UPDATE_BEFORE_ITEM,
    )


def test_an_update_on_the_day_the_item_was_raised_is_kept(chain):
    item, _ = chain
    make_update(item, ConcernStatus.RAISED, on=item.event.start_date)
    assert item.status_updates.get().status == ConcernStatus.RAISED


def test_an_update_of_a_strength_is_refused(chain):
    item, _ = chain
    Finding.objects.filter(pk=item.pk).update(kind=FindingKind.STRENGTH)
    refused(
        StatusUpdate,
        lambda: make_update(item),
        models.UPDATE_NOT_IMPROVEMENT,
    )


def test_moving_an_inspection_after_the_item_it_links_to_is_refused(chain):
    earlier, later = chain
    make_link(earlier, later)
    refused(
        Event,
        lambda: Event.objects.filter(pk=earlier.event_id).update(
            start_date=datetime.date(2021, 1, 4)
        ),
        models.EVENT_CHANGE_BREAKS_TRACKING,
    )
    assert Event.objects.get(pk=earlier.event_id).start_date == datetime.date(2019, 3, 4)


def test_moving_an_inspection_after_an_update_of_its_item_is_refused(chain):
    item, _ = chain
    make_update(item, on=datetime.date(2019, 6, 1))
    refused(
        Event,
        lambda: Event.objects.filter(pk=item.event_id).update(start_date=datetime.date(2019, 7, 1)),
        models.EVENT_CHANGE_BREAKS_TRACKING,
    )


def test_moving_an_inspection_without_breaking_anything_is_kept(chain):
    earlier, later = chain
    make_link(earlier, later)
    Event.objects.filter(pk=earlier.event_id).update(start_date=datetime.date(2018, 3, 5))
    assert Event.objects.get(pk=earlier.event_id).start_date == datetime.date(2018, 3, 5)


def test_a_linked_item_cannot_become_a_strength(chain):
    earlier, later = chain
    make_link(earlier, later)
    refused(
        Finding,
        lambda: Finding.objects.filter(pk=later.pk).update(kind=FindingKind.STRENGTH),
        models.FINDING_CHANGE_BREAKS_TRACKING,
    )


def test_clean_gives_the_databases_sentences_first(chain):
    earlier, later = chain
    with pytest.raises(ValidationError) as backwards:
        new_link(later, earlier).full_clean()
    assert models.LINK_NOT_FORWARD in backwards.value.messages
    with pytest.raises(ValidationError) as early:
        StatusUpdate(
            finding=earlier,
            status=ConcernStatus.PROGRESS,
            on=datetime.date(2019, 1, 1),
            source=earlier.source,
        ).full_clean()
    assert early.value.message_dict["on"] == [models.UPDATE_BEFORE_ITEM]


def test_the_rules_are_put_back_after_a_migrate(chain):
    """SQLite drops a table's triggers when a migration rebuilds the table."""
    earlier, later = chain
    triggers.drop(connection)
    call_command("migrate", verbosity=0)
    refused(
        ConcernLink,
        lambda: ConcernLink.objects.bulk_create([new_link(later, earlier)]),
        models.LINK_NOT_FORWARD,
    )
