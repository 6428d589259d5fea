"""The seed's links from a planned event to the event that fulfilled it, where the sources
show both.

A link is set only when it is empty, both events exist and no editor has ever set or
cleared it (the history shows that): like the rest of the seed, it adds what is missing
and never overwrites an editor's decision.

Only one West Sussex plan is linked. The other plans in the seed (the improvement plan and
the first action planning meeting of June 2019, the first quarterly monitoring visit of
autumn 2019, the Department for Education's six-month review of October 2023) have no
event in the sources recording that they took place, so they stay unlinked and read
"no outcome recorded": the fifth monitoring visit shows there were earlier ones, but no
source dates the first.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..models import Event
from .import_results import Tally

KIND = "Plans linked to what took place"


@dataclass(frozen=True)
class PlanOutcome:
    plan: str
    outcome: str
    why: str


SEED_PLAN_OUTCOMES = [
    PlanOutcome(
        plan="ofsted-focused-visit-spring-2024",
        outcome="west-sussex-focused-visit-2024-07-24",
        why="The article expected Ofsted's next focused visit in spring 2024; Ofsted's "
        "statistics record West Sussex's next focused visit, on 24 July 2024.",
    ),
]


def link_seed_plans(links: list[PlanOutcome] = SEED_PLAN_OUTCOMES) -> Tally:
    """Set each plan's outcome where it is missing; report what was left and why."""
    tally = Tally()
    events = Event.objects.in_bulk(
        [slug for link in links for slug in (link.plan, link.outcome)], field_name="slug"
    )
    for link in links:
        plan, outcome = events.get(link.plan), events.get(link.outcome)
        if plan is None or outcome is None:
            missing = link.plan if plan is None else link.outcome
            tally.notes.append(f"Not linked {link.plan}: there is no event {missing} on the site.")
        elif plan.fulfilled_by_id == outcome.pk:
            tally.keep(KIND)
        elif (
            plan.fulfilled_by_id is not None
            or plan.history.filter(fulfilled_by__isnull=False).exists()
        ):
            tally.keep(KIND)
            tally.notes.append(f"Left {link.plan} as an editor set it.")
        else:
            plan.fulfilled_by = outcome
            try:
                plan.full_clean()
            except ValidationError as error:
                tally.notes.append(f"Not linked {link.plan}: {' '.join(error.messages)}")
                continue
            plan.save(update_fields=["fulfilled_by"])
            tally.add(KIND)
    return tally
