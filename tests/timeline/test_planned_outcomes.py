"""Plans measured against what took place: a plan linked to its outcome, a plan whose time
has passed with nothing recorded, and a calendar of what is still ahead."""

import datetime

import icalendar
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from inspections.choices import DatePrecision, EventKind, EventStatus
from inspections.models import (
    FULFILLED_BY_ITSELF,
    FULFILLED_NOT_HAPPENED,
    FULFILLED_NOT_PLANNED,
    FULFILLED_OTHER_COUNCIL,
    Event,
)
from inspections.official_data.plan_outcomes import SEED_PLAN_OUTCOMES, PlanOutcome, link_seed_plans

from ..admin_support import errors_on, form_data
from ..builders import make_authority, make_event
from ..html import csv_rows, page_of

pytestmark = pytest.mark.django_db

SUMMARY = reverse("inspections:summary")
ICS = reverse("inspections:planned_ics")


def planned(authority, **fields) -> Event:
    defaults = {
        "kind": EventKind.FOCUSED_VISIT,
        "status": EventStatus.PLANNED,
        "title": "Focused visit expected",
        "start_date": datetime.date(2030, 3, 1),
        "start_date_precision": DatePrecision.SEASON,
    }
    return make_event(authority, **(defaults | fields))


def happened(authority, **fields) -> Event:
    defaults = {
        "kind": EventKind.FOCUSED_VISIT,
        "title": "Focused visit on care leavers",
        "start_date": datetime.date(2030, 7, 24),
    }
    return make_event(authority, **(defaults | fields))


def on(day: datetime.date):
    return time_machine.travel(day, tick=False)


def calendar_titles(client) -> list[str]:
    raw = client.get(ICS).content
    return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")]


# The rules, in the database and on the admin's form.


def test_the_database_refuses_an_outcome_on_an_event_that_was_not_planned(authority):
    outcome = happened(authority)
    event = happened(authority, title="Another visit")
    event.fulfilled_by = outcome
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert refused.value.message_dict["fulfilled_by"] == [FULFILLED_NOT_PLANNED]


def test_the_database_refuses_a_plan_fulfilled_by_itself(authority):
    plan = planned(authority)
    plan.fulfilled_by = plan
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert "fulfilled_by" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        plan.validate_constraints()
    assert FULFILLED_BY_ITSELF in refused.value.message_dict["fulfilled_by"]


def test_a_plan_cannot_be_fulfilled_by_another_councils_event(authority):
    plan = planned(authority)
    plan.fulfilled_by = happened(make_authority())
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert refused.value.message_dict["fulfilled_by"] == [FULFILLED_OTHER_COUNCIL]


def test_a_plan_cannot_be_fulfilled_by_another_plan(authority):
    plan = planned(authority)
    plan.fulfilled_by = planned(authority, title="A later plan")
    with pytest.raises(ValidationError) as refused:
        plan.full_clean()
    assert FULFILLED_NOT_HAPPENED in refused.value.message_dict["fulfilled_by"]


def test_a_plan_may_be_fulfilled_early(authority):
    plan = planned(authority)
    plan.fulfilled_by = happened(authority, start_date=datetime.date(2029, 11, 5))
    plan.full_clean()  # no error: visits often come before or after the stated season
    plan.save()
    assert Event.objects.get(pk=plan.pk).fulfilled_by.title == "Focused visit on care leavers"


def test_the_visit_form_offers_the_outcome_and_explains_a_wrong_one(editor_client, authority):
    plan = planned(authority)
    elsewhere = happened(make_authority(), title="Another council's visit")
    url = reverse("admin:inspections_visit_change", args=[plan.pk])
    page = editor_client.get(url)
    assert "Fulfilled by" in page_of(page).text
    data = form_data(page) | {"fulfilled_by": str(elsewhere.pk)}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert FULFILLED_OTHER_COUNCIL in errors_on(response)
    outcome = happened(authority)
    assert editor_client.post(url, data | {"fulfilled_by": str(outcome.pk)}).status_code == 302
    plan.refresh_from_db()
    assert plan.fulfilled_by == outcome


def test_the_inspection_form_offers_the_outcome_too(editor_client, authority):
    page = editor_client.get(reverse("admin:inspections_inspection_add"))
    assert "fulfilled_by" in form_data(page)


def test_the_outcome_chooser_finds_events_by_council_name(editor_client, authority):
    happened(authority, title="Visit on care leavers")
    happened(make_authority(name="Elsewhere council"), title="Visit on care leavers")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Testshire care leavers",
            "app_label": "inspections",
            "model_name": "visit",
            "field_name": "fulfilled_by",
        },
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


# What the pages say, measured against today.


def test_a_plan_reads_not_yet_happened_until_its_season_ends(client, authority):
    plan = planned(authority)  # spring 2030: March to May
    with on(datetime.date(2030, 5, 31)):
        item = page_of(client.get(authority.get_absolute_url())).section(plan.title)
    assert "Not yet happened: expected Spring 2030." in item
    assert "No outcome recorded" not in item
    with on(datetime.date(2030, 6, 1)):
        item = page_of(client.get(authority.get_absolute_url())).section(plan.title)
    assert "No outcome recorded: expected Spring 2030." in item
    assert "Not yet happened" not in item


def test_a_fulfilled_plan_shows_its_outcome_with_a_link(client, authority):
    outcome = happened(authority)
    plan = planned(authority, fulfilled_by=outcome)
    with on(datetime.date(2031, 1, 1)):
        shown = page_of(client.get(authority.get_absolute_url()))
        detail = page_of(client.get(plan.get_absolute_url()))
    expected = "Planned for Spring 2030; took place: Focused visit on care leavers, 24 July 2030."
    assert expected in shown.section(plan.title)
    assert "No outcome recorded" not in shown.section(plan.title)
    assert ("Focused visit on care leavers", outcome.get_absolute_url()) in shown.links()
    assert expected in detail.text


def test_the_outcomes_page_names_the_plan_it_fulfilled(client, authority):
    outcome = happened(authority)
    plan = planned(authority, fulfilled_by=outcome)
    named = "This took place as planned in the sources: Focused visit expected, expected Spring"
    # Twice: the second visit is drawn from what the shared cache keeps.
    for _ in range(2):
        page = page_of(client.get(outcome.get_absolute_url()))
        assert named in page.text
        assert (plan.title, plan.get_absolute_url()) in page.links()


def test_the_exports_say_what_became_of_each_plan(client, authority):
    outcome = happened(authority)
    fulfilled = planned(authority, fulfilled_by=outcome)
    lapsed = planned(authority, title="Review expected", start_date=datetime.date(2029, 3, 1))
    query = f"?authority={authority.slug}"
    with on(datetime.date(2031, 1, 1)):
        rows = csv_rows(client.get(reverse("inspections:timeline_csv") + query))
        events = client.get(reverse("inspections:timeline_json") + query).json()["events"]
    became = {row["Title"]: row["What became of the plan"] for row in rows}
    assert became == {
        lapsed.title: "No outcome recorded: expected Spring 2029.",
        fulfilled.title: (
            "Planned for Spring 2030; took place: Focused visit on care leavers, 24 July 2030."
        ),
        outcome.title: "",
    }
    plans = {event["title"]: event["plan"] for event in events}
    assert plans[outcome.title] is None
    assert plans[lapsed.title]["fulfilled_by"] is None
    assert plans[lapsed.title]["has_passed"] is True
    took_place = plans[fulfilled.title]["fulfilled_by"]
    assert took_place["url"] == f"http://testserver{outcome.get_absolute_url()}"
    assert took_place["title"] == outcome.title


def test_the_printed_summary_never_calls_a_past_plan_not_yet_happened(client, seed_data):
    with on(datetime.date(2026, 11, 24)):
        summary = page_of(client.get(SUMMARY))
    first_visit = Event.objects.get(slug="first-quarterly-monitoring-visit")
    (entry,) = [item.text for item in summary.find_all("li") if first_visit.title in item.text]
    assert f"{first_visit.title} (planned) No outcome recorded: expected Autumn 2019." in entry
    assert "Not yet happened" not in summary.text


def test_a_past_plans_own_page_says_no_outcome_is_recorded(client, authority):
    plan = planned(authority, start_date=datetime.date(2024, 3, 1))
    with on(datetime.date(2026, 11, 24)):
        detail = page_of(client.get(plan.get_absolute_url()))
        printed = page_of(client.get(reverse("inspections:event_summary", args=[plan.slug])))
    assert "No outcome recorded: expected Spring 2024." in detail.text
    assert "No outcome recorded: expected Spring 2024." in printed.text


# The calendar holds only what is still ahead.


def test_the_calendar_drops_a_plan_the_day_after_its_period_ends(client, authority):
    planned(
        authority,
        title="Review in October",
        start_date=datetime.date(2030, 10, 1),
        start_date_precision=DatePrecision.MONTH,
    )
    with on(datetime.date(2030, 10, 31)):
        assert calendar_titles(client) == ["Planned: Review in October (October 2030)"]
    with on(datetime.date(2030, 11, 1)):
        assert calendar_titles(client) == []


@pytest.mark.parametrize(
    ("start", "precision", "last_day"),
    [
        (datetime.date(2030, 6, 12), DatePrecision.DAY, datetime.date(2030, 6, 12)),
        (datetime.date(2030, 12, 1), DatePrecision.SEASON, datetime.date(2031, 2, 28)),
        (datetime.date(2030, 1, 1), DatePrecision.YEAR, datetime.date(2030, 12, 31)),
        (datetime.date(2030, 2, 1), DatePrecision.MONTH, datetime.date(2030, 2, 28)),
    ],
)
def test_a_plan_is_in_the_calendar_up_to_the_last_day_of_its_period(
    client, authority, start, precision, last_day
):
    plan = planned(authority, start_date=start, start_date_precision=precision)
    assert plan.expected_until == last_day
    with on(last_day):
        assert len(calendar_titles(client)) == 1
    with on(last_day + datetime.timedelta(days=1)):
        assert calendar_titles(client) == []


def test_a_plan_with_an_end_date_stays_until_that_day(client, authority):
    planned(
        authority,
        start_date=datetime.date(2030, 6, 2),
        start_date_precision=DatePrecision.DAY,
        end_date=datetime.date(2030, 6, 13),
    )
    with on(datetime.date(2030, 6, 13)):
        assert len(calendar_titles(client)) == 1
    with on(datetime.date(2030, 6, 14)):
        assert calendar_titles(client) == []


def test_a_fulfilled_plan_leaves_the_calendar_even_before_its_period(client, authority):
    outcome = happened(authority, start_date=datetime.date(2030, 1, 20))
    planned(authority, fulfilled_by=outcome)
    planned(authority, title="Still to come")
    with on(datetime.date(2030, 2, 1)):
        assert calendar_titles(client) == ["Planned: Still to come (Spring 2030)"]


def test_the_seeds_calendar_is_empty_in_november_2026(client, seed_data):
    assert Event.objects.filter(status=EventStatus.PLANNED).exists()
    with on(datetime.date(2026, 11, 24)):
        assert calendar_titles(client) == []


# The seed's links.


def test_the_seed_links_the_spring_2024_focused_visit_to_the_july_one(client, seed_data):
    link = SEED_PLAN_OUTCOMES[0]
    plan = Event.objects.get(slug=link.plan)
    outcome = happened(
        plan.authority,
        slug=link.outcome,
        title="Focused visit",
        start_date=datetime.date(2024, 7, 24),
    )
    tally = link_seed_plans()
    assert tally.added["Plans linked to what took place"] == 1
    plan.refresh_from_db()
    assert plan.fulfilled_by == outcome
    again = link_seed_plans()
    assert again.unchanged["Plans linked to what took place"] == 1
    with on(datetime.date(2026, 11, 24)):
        item = page_of(client.get(plan.authority.get_absolute_url())).section(plan.title)
    assert "Planned for Spring 2024; took place: Focused visit, 24 July 2024." in item


def test_the_seed_leaves_other_plans_without_an_outcome(seed_data):
    linked = {link.plan for link in SEED_PLAN_OUTCOMES}
    assert "first-quarterly-monitoring-visit" not in linked


def test_the_seed_never_overwrites_or_restores_an_editors_link(authority):
    plan = planned(authority, slug="the-plan")
    outcome = happened(authority, slug="the-outcome")
    other = happened(authority, slug="another-outcome", title="Another visit")
    links = [PlanOutcome(plan="the-plan", outcome="the-outcome", why="A test.")]
    plan.fulfilled_by = other
    plan.save()
    tally = link_seed_plans(links)
    assert "Left the-plan as an editor set it." in tally.notes
    plan.fulfilled_by = None
    plan.save()  # an editor cleared it: the history remembers
    link_seed_plans(links)
    plan.refresh_from_db()
    assert plan.fulfilled_by is None
    assert outcome.fulfils.count() == 0


def test_the_seed_says_when_an_outcome_is_missing(authority):
    planned(authority, slug="the-plan")
    links = [PlanOutcome(plan="the-plan", outcome="not-there", why="A test.")]
    tally = link_seed_plans(links)
    assert tally.notes == ["Not linked the-plan: there is no event not-there on the site."]
    assert Event.objects.get(slug="the-plan").fulfilled_by is None
