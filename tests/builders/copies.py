"""Make the seed data N times bigger, to show that no page's query count grows with it."""

from django.db import transaction

from inspections.models import (
    Event,
    EventSource,
    Figure,
    Finding,
    Judgement,
    LocalAuthority,
    Statement,
)


@transaction.atomic
def multiply_seed_data(factor: int, same_authority: bool = True) -> None:
    """Add factor - 1 copies of every seed event with its judgements, findings, figures,
    statements and source links. Copies go on the same authority (a longer timeline) or,
    with same_authority=False, on new authorities."""
    originals = list(Event.objects.order_by("pk"))
    children = {
        model: list(model.objects.order_by("pk"))
        for model in (Judgement, Finding, Figure, Statement, EventSource)
    }
    for copy in range(1, factor):
        authority = None
        if not same_authority:
            authority = LocalAuthority.objects.create(
                name=f"Synthetic council {copy}", slug=f"synthetic-{copy}"
            )
        new_events = {}
        for event in originals:
            clone = Event(
                **{
                    field.attname: getattr(event, field.attname)
                    for field in Event._meta.concrete_fields
                    if field.attname not in {"id", "slug", "sequence_number", "fulfilled_by_id"}
                }
            )
            clone.slug = f"{event.slug}-copy-{copy}"
            clone.title = f"{event.title} (copy {copy})"
            if authority:
                clone.authority = authority
            new_events[event.pk] = clone
        Event.objects.bulk_create(new_events.values())
        # A copied plan is fulfilled by the copy of its outcome, on the same authority.
        fulfilled = [event for event in originals if event.fulfilled_by_id in new_events]
        for event in fulfilled:
            new_events[event.pk].fulfilled_by_id = new_events[event.fulfilled_by_id].pk
        Event.objects.bulk_update([new_events[e.pk] for e in fulfilled], ["fulfilled_by"])
        for model, rows in children.items():
            clones = []
            for row in rows:
                values = {
                    field.attname: getattr(row, field.attname)
                    for field in model._meta.concrete_fields
                    if field.attname != "id"
                }
                values["event_id"] = new_events[row.event_id].pk
                clones.append(model(**values))
            model.objects.bulk_create(clones)
