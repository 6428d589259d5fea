"""The rules that span rows, each written once, with the sentence the editor is shown.

A rule one row can check is a CheckConstraint or UniqueConstraint of its model. A rule
that reads other rows is here, in Python: the models' clean() calls it, so the admin's
forms refuse with its sentence beside the field, and every other path that writes these
rows (the seed, the imports) calls `check()` or the rule itself before it saves.

Recommendations tracking: a link goes strictly forward in time between two areas for
improvement of one council, so a chain of links can never come back to where it
started; a status update is only of an area for improvement, and not dated before the
item was raised (its event's first day). Moving an event or a finding cannot break the
links and updates that rest on it afterwards. A planned event is fulfilled by an event
of the same council that took place.

The models are looked up by name: each model's module calls into this one.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q

from ..choices import EventStatus, FindingKind
from .constraints import (
    EVENT_CHANGE_BREAKS_TRACKING,
    FINDING_CHANGE_BREAKS_TRACKING,
    FULFILLED_NOT_HAPPENED,
    FULFILLED_OTHER_COUNCIL,
    LINK_NOT_FORWARD,
    LINK_NOT_IMPROVEMENT,
    LINK_OTHER_COUNCIL,
    UPDATE_BEFORE_ITEM,
    UPDATE_NOT_IMPROVEMENT,
)


def model(name: str):
    return apps.get_model("inspections", name)


def link_error(link) -> str | None:
    """Why `link` (a ConcernLink) cannot join its two items, or None. A link of an item
    to itself is left to the constraint concernlink_not_to_itself."""
    if link.earlier_id is None or link.later_id is None or link.earlier_id == link.later_id:
        return None
    findings = model("Finding").objects.select_related("event")
    earlier = findings.get(pk=link.earlier_id)
    later = findings.get(pk=link.later_id)
    if earlier.kind != FindingKind.IMPROVEMENT or later.kind != FindingKind.IMPROVEMENT:
        return LINK_NOT_IMPROVEMENT
    if earlier.event.authority_id != later.event.authority_id:
        return LINK_OTHER_COUNCIL
    if earlier.event.start_date >= later.event.start_date:
        return LINK_NOT_FORWARD
    return None


def update_errors(update) -> dict[str, str]:
    """{field: sentence} for what is wrong with `update` (a StatusUpdate)'s item."""
    if update.finding_id is None:
        return {}
    finding = model("Finding").objects.select_related("event").get(pk=update.finding_id)
    if finding.kind != FindingKind.IMPROVEMENT:
        return {"finding": UPDATE_NOT_IMPROVEMENT}
    if update.on and update.on < finding.event.start_date:
        return {"on": UPDATE_BEFORE_ITEM}
    return {}


def event_change_error(event) -> str | None:
    """Why this change of a stored event's first day or council would break the links or
    status updates of its recommendations, or None."""
    if event.pk is None or event.start_date is None:
        return None
    stored = model("Event").objects.filter(pk=event.pk).values("start_date", "authority_id")
    stored = stored.first()
    unchanged = {"start_date": event.start_date, "authority_id": event.authority_id}
    if stored is None or stored == unchanged:
        return None
    start, council = event.start_date, event.authority_id
    links = model("ConcernLink").objects
    broken = (
        model("StatusUpdate").objects.filter(finding__event=event.pk, on__lt=start).exists()
        or links.filter(earlier__event=event.pk)
        .filter(Q(later__event__start_date__lte=start) | ~Q(later__event__authority=council))
        .exists()
        or links.filter(later__event=event.pk)
        .filter(Q(earlier__event__start_date__gte=start) | ~Q(earlier__event__authority=council))
        .exists()
    )
    return EVENT_CHANGE_BREAKS_TRACKING if broken else None


def finding_change_error(finding) -> str | None:
    """Why moving a tracked item to another event or kind is refused, or None. One query:
    it runs for every finding of an event's page when that is saved."""
    if finding.pk is None:
        return None
    tracked = (
        Q(later_links__isnull=False)
        | Q(earlier_links__isnull=False)
        | Q(status_updates__isnull=False)
    )
    moved_while_tracked = (
        model("Finding")
        .objects.filter(pk=finding.pk)
        .exclude(event_id=finding.event_id, kind=finding.kind)
        .filter(tracked)
        .exists()
    )
    return FINDING_CHANGE_BREAKS_TRACKING if moved_while_tracked else None


def fulfilment_error(plan) -> str | None:
    """Why `plan.fulfilled_by` cannot be this plan's outcome, or None. The outcome may
    come before or after the planned period: plans are often early or late. That only a
    plan is fulfilled, and not by itself, are the event's constraints."""
    if plan.fulfilled_by_id is None or plan.status != EventStatus.PLANNED:
        return None
    if plan.pk is not None and plan.fulfilled_by_id == plan.pk:
        return None
    outcome = plan.fulfilled_by
    if plan.authority_id is not None and outcome.authority_id != plan.authority_id:
        return FULFILLED_OTHER_COUNCIL
    if outcome.status != EventStatus.HAPPENED:
        return FULFILLED_NOT_HAPPENED
    return None


def event_errors(event) -> dict[str, str]:
    if error := fulfilment_error(event):
        return {"fulfilled_by": error}
    if error := event_change_error(event):
        return {"start_date": error}
    return {}


def errors(instance) -> dict[str, str]:
    """{field: sentence} for every cross-row rule `instance` breaks (none for a model
    without such rules)."""
    match instance._meta.concrete_model._meta.model_name:
        case "concernlink":
            error = link_error(instance)
            return {"later": error} if error else {}
        case "statusupdate":
            return update_errors(instance)
        case "event":
            return event_errors(instance)
        case "finding":
            error = finding_change_error(instance)
            return {"kind": error} if error else {}
    return {}


def check(instance) -> None:
    """Raise ValidationError, field by field, if `instance` breaks a cross-row rule."""
    if found := errors(instance):
        raise ValidationError(found)
