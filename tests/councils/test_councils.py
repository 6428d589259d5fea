"""/councils/: every council's latest grades, filtered, searched and ordered, and the spread
of grades over England and its regions."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from inspections.choices import AuthorityStatus, Grade, JudgementArea, Region
from inspections.models import Event, Judgement, LocalAuthority

from ..builders import generate, make_inspection, make_judgement
from ..html import title_of
from ..page_weight import MAX_PAGE_KB, compressed_kb

pytestmark = pytest.mark.django_db

COUNCILS = reverse("inspections:councils")
# Every council with its latest ILACS inspection, those
# inspections' judgements, and the sources the page names (no query when no source is
# shared, as in synthetic data alone). The list is narrowed, ordered and counted in
# Python: England has 153 councils, and the spread needs them all anyway.
COUNCILS_QUERIES = 3
# An htmx request redraws the list alone: no spread of grades, no sources.
COUNCILS_HTMX_QUERIES = 2
# Until the data change, any other filters, order or page, whole or htmx: no query. The
# grades, the spread, the sources and the rows are kept in the shared cache.
COUNCILS_KEPT_QUERIES = 0


@pytest.fixture
def seeded(db):
    """The real councils with Ofsted's statistics (manage.py seed)."""
    call_command("seed", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def latest_overall(authority: LocalAuthority) -> str | None:
    """The overall grade of the council's latest ILACS inspection, read the plain way."""
    inspection = (
        Event.objects.filter(authority=authority, kind="inspection", framework="ilacs")
        .filter(status="happened", judgements__area=JudgementArea.OVERALL)
        .order_by("-start_date", "-pk")
        .first()
    )
    if inspection is None:
        return None
    return inspection.judgements.get(area=JudgementArea.OVERALL).grade


def rows(html: str) -> list[str]:
    """The council names of the table's rows, in order."""
    table = html[html.index('<tbody class="govuk-table__body">', html.index("app-council-table")) :]
    table = table[: table.index("</tbody>")]
    return re.findall(r'<th scope="row" class="govuk-table__header"><a [^>]*>([^<]+)</a>', table)


def names(html: str) -> list[str]:
    return [name.replace("&amp;", "&").replace("&#x27;", "'") for name in rows(html)]


def test_every_current_council_is_listed_once_with_its_region(client, seeded):
    html = client.get(COUNCILS).content.decode()
    current = LocalAuthority.objects.current()
    assert sorted(names(html)) == sorted(current.values_list("name", flat=True))
    assert f"{current.count()} councils</h3>" in html
    kent = LocalAuthority.objects.get(slug="kent")
    row = html[html.index(f'href="{kent.get_absolute_url()}"') :]
    row = row[: row.index("</tr>")]
    assert f'<td class="govuk-table__cell">{kent.get_region_display()}</td>' in row


def test_each_councils_row_has_its_latest_overall_grade_and_inspection(client, seeded):
    html = client.get(COUNCILS).content.decode()
    for slug in ("kent", "west-sussex", "birmingham", "bradford"):
        authority = LocalAuthority.objects.get(slug=slug)
        row = html[html.index(f'href="{authority.get_absolute_url()}"') :]
        row = row[: row.index("</tr>")]
        grade = Grade(latest_overall(authority))
        overall_cell = row.split('<td class="govuk-table__cell">')[3]
        assert f'app-grade--{grade.value}">{grade.short_label}<' in overall_cell, slug
        latest = authority.events.filter(kind="inspection", framework="ilacs")
        latest = latest.order_by("-start_date").first()
        assert f'href="{latest.get_absolute_url()}"' in row


def test_councils_that_no_longer_exist_are_listed_apart_and_not_counted(client, seeded):
    html = client.get(COUNCILS).content.decode()
    former = LocalAuthority.objects.filter(status=AuthorityStatus.NO_LONGER_EXISTS)
    assert former.exists()
    listed = names(html)
    section = html[html.index('id="former-heading"') :]
    for authority in former:
        assert authority.name not in listed
        assert f'href="{authority.get_absolute_url()}">{authority.name}</a>' in section


def test_a_region_filter_keeps_that_regions_councils(client, seeded):
    html = client.get(COUNCILS, {"region": Region.SOUTH_EAST}).content.decode()
    expected = LocalAuthority.objects.current().filter(region=Region.SOUTH_EAST)
    assert sorted(names(html)) == sorted(expected.values_list("name", flat=True))
    assert f"{expected.count()} councils matching your filters" in html


def test_a_grade_filter_keeps_the_councils_whose_latest_overall_grade_it_is(client, seeded):
    html = client.get(COUNCILS, {"grade": Grade.INADEQUATE}).content.decode()
    expected = [
        a.name for a in LocalAuthority.objects.current() if latest_overall(a) == Grade.INADEQUATE
    ]
    assert expected
    assert sorted(names(html)) == sorted(expected)


def test_a_name_search_ignores_case(client, seeded):
    html = client.get(COUNCILS, {"q": "SUSSEX"}).content.decode()
    assert sorted(names(html)) == ["East Sussex", "West Sussex County Council"]


def test_filters_combine_and_say_when_nothing_matches(client, seeded):
    html = client.get(COUNCILS, {"q": "sussex", "region": Region.LONDON}).content.decode()
    assert "0 councils matching your filters" in html
    assert "No council matches these filters." in html


def grade_order(html: str, area: str) -> list[int]:
    by_name = {a.name: a for a in LocalAuthority.objects.current()}
    ranks = []
    for name in names(html):
        grade = latest_overall(by_name[name]) if area == "overall" else None
        ranks.append(Grade.rank(grade) if grade else 0)
    return ranks


def test_ordering_by_the_overall_grade_puts_the_best_first_then_the_worst(client, seeded):
    best_first = grade_order(client.get(COUNCILS, {"sort": "overall"}).content.decode(), "overall")
    assert best_first == sorted(best_first, reverse=True)
    html = client.get(COUNCILS, {"sort": "-overall"}).content.decode()
    worst_first = grade_order(html, "overall")
    graded = [rank for rank in worst_first if rank]
    assert graded == sorted(graded) and graded[0] == 1
    assert 'aria-sort="descending"><a class="govuk-link app-sort" id="sort-overall"' in html


def test_ordering_by_date_and_name_and_the_headings_link_the_other_way(client, seeded):
    html = client.get(COUNCILS, {"sort": "inspected", "region": "london"}).content.decode()
    by_name = {a.name: a for a in LocalAuthority.objects.current()}
    dates = []
    for name in names(html):
        inspection = by_name[name].events.filter(kind="inspection", framework="ilacs")
        dates.append(inspection.order_by("-start_date").first().start_date)
    assert dates == sorted(dates)
    # The heading of the column in use turns it round, keeping the filters.
    assert 'id="sort-inspected" href="?sort=-inspected&amp;region=london"' in html
    assert 'id="sort-name" href="?sort=name&amp;region=london"' in html
    reverse_names = names(client.get(COUNCILS, {"sort": "-name"}).content.decode())
    assert reverse_names == sorted(reverse_names, key=str.casefold, reverse=True)


def test_a_council_judged_before_2023_has_one_grade_across_both_care_columns(client, authority):
    authority.region = Region.SOUTH_WEST
    authority.save()
    before = make_inspection(authority, start_date="2022-05-09", slug="before-2023")
    make_judgement(before, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(before, JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS, Grade.OUTSTANDING)
    html = client.get(COUNCILS).content.decode()
    assert '<td class="govuk-table__cell" colspan="2">' in html
    cell = html[html.index('colspan="2"') :]
    assert cell.index("app-grade--outstanding") < cell.index("both judged as one, before 2023")
    assert "Before 2023 Ofsted judged children in care and care leavers together" in html

    after = make_inspection(authority, start_date="2024-02-05", slug="after-2023")
    make_judgement(after, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(after, JudgementArea.CHILDREN_IN_CARE, Grade.INADEQUATE)
    make_judgement(after, JudgementArea.CARE_LEAVERS, Grade.REQUIRES_IMPROVEMENT)
    html = client.get(COUNCILS).content.decode()
    assert 'colspan="2"' not in html
    assert "app-grade--inadequate" in html and "app-grade--requires_improvement" in html


def test_a_council_not_inspected_under_ilacs_is_listed_without_grades(client, authority):
    sif = make_inspection(authority, framework="sif", slug="sif-2016", start_date="2016-01-11")
    make_judgement(sif, JudgementArea.OVERALL, Grade.INADEQUATE)
    html = client.get(COUNCILS).content.decode()
    assert names(html) == [authority.name]
    assert "Not since 2018" in html
    assert "app-grade--inadequate" not in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"region": "atlantis"}, "Region: that value is not one of the options"),
        ({"grade": "superb"}, "Latest overall grade: that value is not one of the options"),
        ({"sort": "shoe-size"}, "Order: the table cannot be ordered that way"),
        ({"q": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_a_bad_filter_gets_an_error_summary_and_the_rest_of_the_list(
    client, seeded, query, message
):
    response = client.get(COUNCILS, {**query, "region": query.get("region", "london")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert message in html
    assert title_of(response).startswith("Error: Councils")
    if "region" not in query:
        assert len(names(html)) == LocalAuthority.objects.current().filter(region="london").count()


def test_an_htmx_request_gets_the_list_alone_with_links_that_keep_the_filters(client, seeded):
    response = client.get(COUNCILS, {"region": "london"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "spread-heading" not in html and "<html" not in html
    assert 'hx-get="?region=london&amp;sort=-name"' in html
    # The order rides with the form, which lies outside the swapped list.
    assert '<input type="hidden" name="sort" value="name" form="council-filters">' in html


def test_the_spread_counts_every_current_councils_latest_overall_grade(client, seeded):
    html = client.get(COUNCILS).content.decode()
    current = list(LocalAuthority.objects.current())
    england = Counter(latest_overall(a) for a in current)
    table = html[html.index('id="spread-table-caption"') :]
    table = table[: table.index("</table>")]
    england_row = table[
        table.index(">England</th>") : table.index("</tr>", table.index(">England"))
    ]
    cells = re.findall(r">(\d+)</td>", england_row)
    assert [int(n) for n in cells] == [*(england[g] for g in Grade), len(current)]
    for region in Region:
        total = sum(1 for a in current if a.region == region)
        row = table[table.index(f">{region.label}</th>") :]
        row = row[: row.index("</tr>")]
        assert re.findall(r">(\d+)</td>", row)[-1] == str(total), region
    # The chart says the same in words, for those who cannot see it.
    description = html[html.index('<desc id="spread-desc">') : html.index("</desc>")]
    assert f"England: {england[Grade.OUTSTANDING]} outstanding, {england[Grade.GOOD]} good" in (
        description
    )
    assert 'aria-labelledby="spread-heading spread-desc"' in html


def test_the_page_names_the_sources_of_the_grades_with_their_licence(client, seeded):
    html = client.get(COUNCILS).content.decode()
    sources = html[html.index('id="grade-sources-heading"') :]
    assert "Local authority inspection outcomes as at 31 March 2025" in sources
    assert "Open Government Licence v3.0" in sources


def test_no_template_names_a_council(db):
    """The site's own council comes from settings; every other from the database."""
    lookup = Path(settings.BASE_DIR) / "fixtures" / "ofsted" / "Provider_data_lookup.csv"
    with lookup.open(encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        column = next(name for name in reader.fieldnames if "name" in name.lower())
        council_names = {row[column].strip() for row in reader if row[column].strip()}
    assert "Kent" in council_names
    templates = Path(settings.BASE_DIR) / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for name in council_names:
            assert not re.search(rf"\b{re.escape(name)}\b", text), (path, name)


def test_the_page_weighs_at_most_60_kb_compressed(client, seeded):
    sizes = compressed_kb(client.get(COUNCILS).content)
    assert sum(sizes.values()) <= MAX_PAGE_KB, sizes


@pytest.mark.parametrize("synthetic", [0, 153, pytest.param(1530, marks=pytest.mark.scale)])
def test_the_query_count_does_not_grow_with_the_councils(
    client, seeded, django_assert_num_queries, synthetic
):
    """The 153 real councils, then with as many again and ten times as many synthetic
    ones (with no findings: the page shows only grades)."""
    if synthetic:
        generate(synthetic, seed=4, with_facts=False)
    with django_assert_num_queries(COUNCILS_QUERIES):
        response = client.get(COUNCILS, {"sort": "-overall"})
    assert response.status_code == 200
    with django_assert_num_queries(COUNCILS_KEPT_QUERIES):
        response = client.get(COUNCILS, {"region": "london"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    with django_assert_num_queries(COUNCILS_KEPT_QUERIES):
        response = client.get(COUNCILS, {"grade": Grade.GOOD, "sort": "region"})
    assert response.status_code == 200
    caches["default"].clear()  # as after a change of data
    with django_assert_num_queries(COUNCILS_HTMX_QUERIES):
        response = client.get(COUNCILS, {"region": "london"}, headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_more_councils_than_england_has_come_in_pages(client, db):
    generate(170, seed=5, with_facts=False)
    html = client.get(COUNCILS).content.decode()
    assert "Showing councils 1 to 160, page 1 of 2." in html
    assert len(rows(html)) == 160
    second = client.get(COUNCILS, {"page": "2"}).content.decode()
    assert len(rows(second)) == 10
    assert Judgement.objects.exists()
