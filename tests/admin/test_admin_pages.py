"""Every admin page renders for a superuser at a fixed cost in queries, however much data
there is: the admin is used on the day a report comes out, on the live database."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from inspections.choices import EventKind, Grade, JudgementArea
from inspections.models import Figure, Judgement, Person, Statement

from ..admin_support import make_editor, make_user
from ..builders import (
    make_event,
    make_finding,
    make_inspection,
    make_link,
    make_recommendation,
    make_source,
    make_theme,
    make_update,
    multiply_seed_data,
)
from ..html import page_of

pytestmark = pytest.mark.django_db

# Queries per page, after the session and the user. Changelists: the count and the page
# of rows (with their related rows joined), the date hierarchy and the list filters.
# Add pages: the authority choices. Change pages: the record, one query per inline and
# one per chooser column in each inline (however many rows), the choices of the plain
# selects. History pages: the history rows with their related rows joined, plus, for an
# event, one query for the history of each kind of fact. None of them depends on how
# many events, findings, sources or history rows there are. The plain event list (hidden
# from the index: it serves the event choosers) has neither date hierarchy nor filters.
QUERIES = {
    "inspection": {"changelist": 7, "add": 2, "change": 16, "history": 9},
    "visit": {"changelist": 6, "add": 2, "change": 12, "history": 8},
    "event": {"changelist": 3, "change": 1, "history": 3},
    "finding": {"changelist": 6, "add": 0, "change": 5, "history": 3},
    "judgement": {"changelist": 5, "add": 0, "change": 4, "history": 3},
    "figure": {"changelist": 6, "add": 0, "change": 4, "history": 3},
    "statement": {"changelist": 6, "add": 0, "change": 6, "history": 4},
    "eventsource": {"changelist": 5, "add": 0, "change": 5, "history": 5},
    "source": {"changelist": 6, "add": 0, "change": 1, "history": 3},
    "theme": {"changelist": 3, "add": 0, "change": 1, "history": 3},
    "person": {"changelist": 3, "add": 0, "change": 1, "history": 3},
    "localauthority": {"changelist": 3, "add": 0, "change": 1, "history": 3},
    "recommendation": {"changelist": 4, "change": 6, "history": 3},
}


@pytest.fixture
def records(authority):
    """One record of each kind, with a row in every inline of its page."""
    source, theme = make_source(), make_theme()
    person = Person.objects.create(name="A Cabinet Member")
    inspection = make_inspection(authority, source)
    visit = make_event(authority, source, kind=EventKind.MONITORING_VISIT, sequence_number=9)
    earlier = make_event(authority, source, start_date=datetime.date(2020, 1, 6))
    raised = make_recommendation(earlier, theme, "Make supervision regular.")
    later = make_event(authority, source, start_date=datetime.date(2022, 6, 6))
    make_link(raised, make_recommendation(later, theme, "Supervision is still not regular."))
    make_update(raised)
    judgement = Judgement.objects.create(
        event=inspection, area=JudgementArea.OVERALL, grade=Grade.GOOD, source=source
    )
    for event in (inspection, visit):
        make_finding(event, theme)
        Figure.objects.create(
            event=event, label="Children in care", value=900, unit="count", source=source
        )
        Statement.objects.create(
            event=event, person=person, role="Cabinet member", text="Pleased.", source=source
        )
    return {
        "inspection": inspection,
        "visit": visit,
        "event": visit,
        "finding": inspection.findings.get(),
        "judgement": judgement,
        "figure": inspection.figures.get(),
        "statement": inspection.statements.get(),
        "eventsource": inspection.event_sources.get(),
        "source": source,
        "theme": theme,
        "person": person,
        "localauthority": authority,
        "recommendation": raised,
    }


def admin_pages(records):
    for model_name, pages in QUERIES.items():
        obj = records[model_name]
        for page, queries in pages.items():
            args = [] if page in ("changelist", "add") else [obj.pk]
            yield (
                f"{model_name} {page}",
                reverse(f"admin:inspections_{model_name}_{page}", args=args),
                queries,
            )


def test_every_model_of_the_app_has_an_admin_page_in_the_budget():
    registered = {
        model._meta.model_name
        for model in admin.site._registry
        if model._meta.app_label == "inspections"
    }
    assert registered == set(QUERIES)


@pytest.mark.parametrize("factor", [1, 10, 100])
def test_every_admin_page_costs_the_same_queries_at_any_size(
    client, seed_data, records, django_assert_num_queries, factor
):
    multiply_seed_data(factor)
    client.force_login(make_user("root", superuser=True))
    for name, url, queries in admin_pages(records):
        client.get(url)  # the first visit also fills Django's content-type cache
        with django_assert_num_queries(queries + 2):  # + the session and the user
            response = client.get(url)
        expected = 302 if name == "event change" else 200
        assert response.status_code == expected, name


def test_an_event_page_costs_the_same_with_twenty_findings_as_with_one(
    client, records, django_assert_num_queries
):
    client.force_login(make_user("root", superuser=True))
    visit = records["visit"]
    url = reverse("admin:inspections_visit_change", args=[visit.pk])
    theme = visit.findings.get().theme
    for _ in range(19):
        make_finding(visit, make_theme())
        make_finding(visit, theme)
    with django_assert_num_queries(QUERIES["visit"]["change"] + 2):
        response = client.get(url)
    names = [element.attrs.get("name", "") for element in page_of(response).elements()]
    assert len([name for name in names if name.startswith("findings-")]) > 39 * 4


def test_the_all_events_list_opens_each_event_on_its_own_kinds_page(client, records):
    client.force_login(make_user("root", superuser=True))
    for name in ("inspection", "visit"):
        event = records[name]
        response = client.get(reverse("admin:inspections_event_change", args=[event.pk]))
        assert response.url == reverse(f"admin:inspections_{name}_change", args=[event.pk])


def test_each_page_lists_only_its_own_kinds_of_event(client, records):
    client.force_login(make_user("root", superuser=True))
    inspections = page_of(client.get(reverse("admin:inspections_inspection_changelist")))
    visits = page_of(client.get(reverse("admin:inspections_visit_changelist")))
    assert records["inspection"].title in inspections
    assert records["visit"].title not in inspections
    assert records["visit"].title in visits
    assert records["inspection"].title not in visits


@pytest.mark.parametrize(
    ("model_name", "expected"),
    [
        ("inspection", lambda r: r["inspection"].get_absolute_url()),
        ("visit", lambda r: r["visit"].get_absolute_url()),
        ("finding", lambda r: r["inspection"].get_absolute_url()),
        ("judgement", lambda r: r["inspection"].get_absolute_url()),
        ("figure", lambda r: r["inspection"].get_absolute_url()),
        ("statement", lambda r: r["inspection"].get_absolute_url()),
        ("theme", lambda r: r["theme"].get_absolute_url()),
        ("source", lambda r: reverse("inspections:sources") + f"#source-{r['source'].pk}"),
    ],
)
def test_view_on_site_goes_to_the_page_that_shows_the_record(client, records, model_name, expected):
    client.force_login(make_user("root", superuser=True))
    obj = records[model_name]
    page = client.get(reverse(f"admin:inspections_{model_name}_change", args=[obj.pk]))
    target = expected(records)
    assert ("View on site", target) in page_of(page).links()
    assert client.get(target).status_code == 200


def test_the_admin_pages_have_no_inline_script_or_style(client, records):
    """The admin must keep working under a strict Content-Security-Policy."""
    client.force_login(make_user("root", superuser=True))
    for name, url, _ in admin_pages(records):
        for element in page_of(client.get(url)).elements():
            assert "style" not in element.attrs, (name, element)
            assert not [a for a in element.attrs if a.startswith("on")], (name, element)
            if element.tag == "script" and "src" not in element.attrs:
                assert element.attrs.get("type") == "application/json", (name, element)


def test_the_theme_list_can_show_only_the_themes_not_used_yet(client, records):
    unused = make_theme(name="A theme nobody has used")
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:inspections_theme_changelist")
    shown = page_of(client.get(url, {"in_use": "no"}))
    assert unused.name in shown
    assert records["theme"].name not in shown
    shown = page_of(client.get(url, {"in_use": "yes"}))
    assert unused.name not in shown
    assert records["theme"].name in shown


@pytest.mark.parametrize(
    ("model_name", "field_name", "record"),
    [
        ("eventsource", "source", "source"),
        ("finding", "theme", "theme"),
        ("finding", "event", "visit"),
        ("judgement", "event", "inspection"),
        ("statement", "person", "person"),
    ],
)
def test_every_chooser_finds_what_an_editor_types(client, records, model_name, field_name, record):
    """The choosers call the admin's autocomplete page as the editor types."""
    client.force_login(make_editor())
    obj = records[record]
    term = str(obj).split()[0]
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "inspections",
            "model_name": model_name,
            "field_name": field_name,
        },
    )
    assert response.status_code == 200
    assert str(obj.pk) in {result["id"] for result in response.json()["results"]}


def test_the_visits_list_filters_by_the_kinds_it_holds(client, records, authority):
    focused = make_event(authority, kind=EventKind.FOCUSED_VISIT, title="A focused visit")
    client.force_login(make_user("root", superuser=True))
    url = reverse("admin:inspections_visit_changelist")
    filters = [href for _, href in page_of(client.get(url)).links()]
    assert "?kind=focused_visit" in filters
    assert not [href for href in filters if "kind=inspection" in href]
    shown = page_of(client.get(url, {"kind": EventKind.FOCUSED_VISIT}))
    assert focused.title in shown
    assert records["visit"].title not in shown


def test_a_nul_character_in_an_admin_search_or_chooser_gets_a_page_saying_so(client, records):
    """PostgreSQL refuses to compare text holding NUL; the admin says so, never crashes."""
    client.force_login(make_user("root", superuser=True))
    for name, url, _ in admin_pages(records):
        if name.endswith("changelist"):
            response = client.get(url, {"q": "west\x00sussex"})
            assert response.status_code == 400, name
            assert "holds a null character" in page_of(response)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "\x00",
            "app_label": "inspections",
            "model_name": "finding",
            "field_name": "theme",
        },
    )
    assert response.status_code == 400


def test_the_visits_list_shows_the_newest_first(client, authority):
    import datetime

    client.force_login(make_user("lister", superuser=True))
    make_event(authority, title="The older visit", start_date=datetime.date(2020, 1, 6))
    make_event(authority, title="The newer visit", start_date=datetime.date(2024, 9, 9))
    listing = page_of(client.get(reverse("admin:inspections_visit_changelist")))
    titles = [text for text, _ in listing.links() if text.startswith("The ")]
    assert titles == ["The newer visit", "The older visit"]
