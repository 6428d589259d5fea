"""Pieces of the public pages kept in the shared cache under the data version, so that an
address nobody has asked for is assembled from pieces already drawn, and a change of data
is shown at once."""

import datetime

import pytest
from django import forms
from django.core.cache import caches
from django.test import override_settings
from django.test.signals import template_rendered
from django.urls import reverse

from inspections.choices import EventKind, Grade, JudgementArea
from inspections.web.widgets import QuickSelect

from ..builders import make_authority, make_inspection, make_judgement
from ..html import page_of

pytestmark = pytest.mark.django_db

ITEM = "inspections/timeline/partials/timeline_item.html"


@pytest.fixture
def council(db):
    council = make_authority(name="Fragmentshire", slug="fragmentshire")
    for year in (2019, 2022, 2025):
        event = make_inspection(
            council, title=f"The {year} inspection", start_date=datetime.date(year, 3, 1)
        )
        make_judgement(event, JudgementArea.OVERALL, Grade.GOOD)
    return council


@pytest.fixture
def items_drawn():
    """How many timeline items were drawn from the template (not taken from the cache)."""
    drawn = []

    def count(sender, template, **_kwargs):
        if template.name == ITEM:
            drawn.append(template.name)

    template_rendered.connect(count)
    yield drawn
    template_rendered.disconnect(count)


def timeline(client, council, **params) -> str:
    response = client.get(reverse("inspections:council", args=[council.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_changed_title_shows_at_once(client, council):
    url = reverse("inspections:council", args=[council.slug])
    assert "The 2022 inspection" in page_of(client.get(url)).by_id("results").headings(3)
    event = council.events.get(title="The 2022 inspection")
    event.title = "The 2022 inspection, renamed"
    event.save()
    titles = page_of(client.get(url)).by_id("results").headings(3)
    assert "The 2022 inspection, renamed" in titles
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "The 2022 inspection, renamed" in detail


def test_a_changed_grade_shows_at_once(client, council):
    assert "app-grade--inadequate" not in timeline(client, council)
    judgement = council.events.get(title="The 2025 inspection").judgements.get()
    judgement.grade = Grade.INADEQUATE
    judgement.save()
    assert "app-grade--inadequate" in timeline(client, council)


def test_a_renamed_council_shows_at_once_in_the_councils_table(client, council):
    councils = reverse("inspections:councils")
    assert "Fragmentshire" in client.get(councils).content.decode()
    council.name = "New Fragmentshire"
    council.save()
    assert "New Fragmentshire" in client.get(councils).content.decode()


def test_two_filter_combinations_share_the_drawn_items(client, council, items_drawn):
    timeline(client, council)
    assert len(items_drawn) == 3
    filtered = timeline(client, council, kind=EventKind.INSPECTION, grade=Grade.GOOD)
    assert "The 2019 inspection" in filtered and "The 2025 inspection" in filtered
    assert len(items_drawn) == 3  # every item came from the cache
    home = client.get(reverse("inspections:timeline"), {"authority": council.slug}, follow=True)
    assert "The 2025 inspection" in home.content.decode()
    assert len(items_drawn) == 3


def test_the_site_works_with_no_cache_at_all(client, council, items_drawn):
    off = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": off}):
        first = timeline(client, council)
        second = timeline(client, council)
        caches["default"].set("anything", "kept")
        assert caches["default"].get("anything") is None
    assert first == second
    assert len(items_drawn) == 6  # each render drew every item


def test_the_page_is_the_same_drawn_or_from_fragments(client, council, items_drawn):
    drawn = timeline(client, council, page=1)
    kept = timeline(client, council, page=1)
    assert len(items_drawn) == 3
    assert drawn == kept


@pytest.mark.parametrize("value", ["", "b", "<&>", None])
def test_quick_select_writes_what_django_select_writes(value):
    choices = [
        ("", "Any"),
        ("a", "A & B"),
        ("b", 'Say "b"'),
        ("<&>", "<script>"),
        ("Group", [("g1", "One"), ("g2", "Two")]),
    ]
    attrs = {"id": "filter-x", "class": "govuk-select", "disabled": False, "autofocus": True}
    django_select = forms.Select(attrs=attrs, choices=choices)
    quick = QuickSelect(attrs=attrs, choices=choices)
    expected = django_select.render("x", value)
    assert "<option" in expected
    assert quick.render("x", value) == expected


def test_a_renamed_council_shows_at_once_on_its_comparison(client, council):
    url = reverse("inspections:council_compare", args=[council.slug])
    assert page_of(client.get(url)).headings(1) == [
        "Fragmentshire beside its statistical neighbours"
    ]
    council.name = "New Fragmentshire"
    council.save()
    renamed = page_of(client.get(url)).headings(1)
    assert renamed == ["New Fragmentshire beside its statistical neighbours"]
