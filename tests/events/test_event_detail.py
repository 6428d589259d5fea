"""One page per inspection or visit: judgements, findings by theme, figures, statements, sources."""

import datetime

import pytest
from django.db.models import Count
from django.urls import reverse

from inspections.choices import DatePrecision, EventKind, FindingKind, Grade, JudgementArea
from inspections.models import Event

from ..builders import (
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_source,
    make_theme,
    multiply_seed_data,
)
from ..html import page_of

pytestmark = pytest.mark.django_db

# The event with its authority; the plans it fulfilled,
# judgements, findings, figures, statements and source links (one prefetch each); the
# previous and the next event.
DETAIL_QUERIES = 9
# Until the data change, a later visit asks the database nothing: the page's data and
# its body are kept in the shared cache.
DETAIL_KEPT_QUERIES = 0


def latest_graded_inspection() -> Event:
    """The seed's most recent inspection with judgements, whatever its title or year."""
    graded = Event.objects.filter(kind=EventKind.INSPECTION, judgements__isnull=False)
    return graded.distinct().latest("start_date")


def test_every_event_has_a_stable_readable_address(seed_data):
    for event in Event.objects.all():
        assert event.get_absolute_url() == f"/events/{event.slug}/"
        assert event.slug.replace("-", "").isalnum(), event.slug


def test_an_inspection_page_shows_each_judgement_with_its_area_and_grade(client, authority):
    inspection = make_inspection(authority)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(inspection, JudgementArea.HELP_AND_PROTECTION, Grade.REQUIRES_IMPROVEMENT)
    make_judgement(inspection, JudgementArea.CHILDREN_IN_CARE, Grade.GOOD)
    make_judgement(inspection, JudgementArea.CARE_LEAVERS, Grade.INADEQUATE)
    rows = page_of(client.get(inspection.get_absolute_url())).table_rows("Judgements")
    assert rows[0] == ["Area", "Grade", "Source"]
    assert [row[:2] for row in rows[1:]] == [
        ["Overall effectiveness", "Requires improvement to be good"],
        [
            "The experiences and progress of children who need help and protection",
            "Requires improvement to be good",
        ],
        ["The experiences and progress of children in care", "Good"],
        ["The experiences and progress of care leavers", "Inadequate"],
    ]
    # The source column cites by number; the list of sources below names it in full.
    assert {row[2] for row in rows[1:]} == {"Source [1]"}
    shown = page_of(client.get(inspection.get_absolute_url()))
    assert shown.by_id("cited-source-1").text == f"[1] {inspection.sources.get().label}"


def test_findings_are_grouped_under_their_kind_and_theme(client, authority):
    event = make_event(authority)
    workforce, caseloads = make_theme(name="Workforce"), make_theme(name="Caseloads")
    make_finding(event, workforce, "Staff feel valued.", kind=FindingKind.STRENGTH)
    make_finding(event, caseloads, "Caseloads are too high.", kind=FindingKind.IMPROVEMENT)
    make_finding(event, workforce, "Too many agency staff.", kind=FindingKind.IMPROVEMENT)
    shown = page_of(client.get(event.get_absolute_url()))
    kinds = shown.headings(2)
    assert kinds.index("Strengths") < kinds.index("Areas for improvement")
    strengths = shown.section("Strengths")
    assert strengths.startswith("Workforce Staff feel valued.")
    assert "Caseloads" not in strengths and "agency" not in strengths
    improvements = shown.section("Areas for improvement")
    assert "Caseloads Caseloads are too high." in improvements
    assert "Workforce Too many agency staff." in improvements
    assert "Staff feel valued." not in improvements
    assert ("Workforce", workforce.get_absolute_url()) in shown.links()


def test_statements_name_the_speaker_and_their_role_then(client, seed_data):
    event = Event.objects.filter(statements__isnull=False).distinct().first()
    said = page_of(client.get(event.get_absolute_url())).section("What people said")
    for statement in event.statements.select_related("person"):
        assert f"{statement.person.name}, {statement.role}." in said


def test_the_page_lists_its_sources_with_what_each_contributed(client, seed_data):
    event = Event.objects.annotate(sources_count=Count("event_sources")).latest("sources_count")
    assert event.sources_count > 1
    shown = page_of(client.get(event.get_absolute_url()))
    listed = shown.section("Sources")
    for link in event.event_sources.select_related("source"):
        assert link.source.title in listed
        assert link.contribution and link.contribution in listed
        assert (link.source.label, f"{reverse('inspections:sources')}#source-{link.source_id}") in (
            shown.links()
        )


def test_earlier_and_later_follow_the_timeline(client, seed_data):
    events = list(Event.objects.order_by("start_date", "pk"))
    index = len(events) // 2
    earlier, middle, later = events[index - 1 : index + 2]
    shown = page_of(client.get(middle.get_absolute_url()))
    (before_text, before_href), (after_text, after_href) = shown.find(
        "nav", aria_label="Along the timeline"
    ).links()
    assert before_href == earlier.get_absolute_url()
    assert before_text.startswith("Earlier event") and before_text.endswith(earlier.title)
    assert after_href == later.get_absolute_url()
    assert after_text.startswith("Later event") and after_text.endswith(later.title)


def test_a_vague_date_says_how_precise_it_is(client, authority):
    event = make_event(
        authority,
        start_date=datetime.date(2022, 9, 1),
        start_date_precision=DatePrecision.MONTH_NO_YEAR,
        date_note="The article says only that the visit was in September.",
    )
    shown = page_of(client.get(event.get_absolute_url()))
    assert "Date September (year not stated in the source)" in shown
    assert "The article says only that the visit was in September." in shown


def test_an_unknown_event_is_a_404_in_the_site_design(client, db, settings):
    settings.SITE_COUNCIL_NAME = "Testshire County Council"
    response = client.get(reverse("inspections:event", args=["no-such-visit"]))
    assert response.status_code == 404
    shown = page_of(response)
    assert shown.headings(1) == ["Page not found"]
    assert "Testshire County Council" in shown.find(role="banner")


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_the_detail_query_count_does_not_grow_with_the_data(
    client, seed_data, django_assert_num_queries, factor
):
    event = latest_graded_inspection()
    multiply_seed_data(factor)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(event.get_absolute_url()).status_code == 200
    with django_assert_num_queries(DETAIL_KEPT_QUERIES):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_the_breadcrumb_leads_back_to_the_events_council(client, seed_data):
    multiply_seed_data(2, same_authority=False)
    event = Event.objects.filter(authority__slug="synthetic-1").first()
    html = client.get(event.get_absolute_url()).content.decode()
    breadcrumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index("</nav>", html.index("Breadcrumb"))
    ]
    assert (
        '<a class="govuk-breadcrumbs__link" href="/councils/synthetic-1/">Synthetic council 1</a>'
        in breadcrumbs
    )


def test_earlier_and_later_carry_arrows_that_screen_readers_skip(client, seed_data):
    events = list(Event.objects.order_by("start_date", "pk"))
    shown = page_of(client.get(events[len(events) // 2].get_absolute_url()))
    along = shown.find("nav", aria_label="Along the timeline")
    arrows = [icon.attrs for icon in along.find_all("svg")]
    assert len(arrows) == 2
    assert all(arrow.get("aria-hidden") == "true" for arrow in arrows)


def test_each_fact_cites_its_source_by_number_and_the_list_names_it_once(client, authority):
    """A phone shows "[2]" beside each fact, not the same long title on every row."""
    report = make_source(title="A very long report title that would fill a phone's row")
    article = make_source(title="A local newspaper's account", publisher="The Gazette")
    inspection = make_inspection(authority, source=report)
    make_judgement(inspection, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(inspection, JudgementArea.LEADERSHIP, Grade.GOOD)
    theme = make_theme(name="Workforce")
    make_finding(inspection, theme, "Staff feel valued.", source=article)
    shown = page_of(client.get(inspection.get_absolute_url()))
    assert shown.count(report.title) == 1
    assert [row[2] for row in shown.table_rows("Judgements")[1:]] == ["Source [1]"] * 2
    assert "Staff feel valued. Source [2]" in shown.section("Strengths")
    assert ("Source [2]", "#cited-source-2") in shown.links()
    assert shown.by_id("cited-source-1").text == f"[1] {report.label}"
    assert shown.by_id("cited-source-2").text == f"[2] {article.label}"
