"""/councils/<slug>/compare/: a council beside its ten statistical neighbours, its region
and England, as a page, CSV and JSON."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from inspections.choices import Closeness, Grade, JudgementArea, Region
from inspections.councils.comparisons import months_between
from inspections.models import Event, LocalAuthority, StatisticalNeighbour

from ..builders import generate, make_inspection, make_judgement
from ..page_weight import MAX_PAGE_KB, compressed_kb

pytestmark = pytest.mark.django_db

# The council (the ETag's data version is in the shared cache); every council with its latest ILACS
# inspection, and those inspections' judgements (for the region and England figures);
# every council's neighbours; every council's ILACS overall grades (for the history and
# the times to climb out of inadequate); the sources every council's grades cite. The same
# for the CSV and JSON.
COMPARE_QUERIES = 6
# Another council's comparison page after one was drawn: every council's record (latest
# grades, ILACS history, neighbours, sources) and what every comparison shares are kept
# in the shared cache, so the council alone.
COMPARE_NEXT_QUERIES = 1
# Until the data change, the comparison page again: no query (the council and the drawn
# tables are kept in the shared cache, and the comparison is not worked out).
COMPARE_KEPT_QUERIES = 0


def compare_url(slug: str, name: str = "council_compare") -> str:
    return reverse(f"inspections:{name}", args=[slug])


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0, stdout=io.StringIO())


def ilacs_overall(authority: LocalAuthority) -> list[tuple[datetime.date, str]]:
    """The council's ILACS overall grades, oldest first, read the plain way."""
    events = Event.objects.filter(
        authority=authority, kind="inspection", framework="ilacs", status="happened"
    ).order_by("start_date", "pk")
    found = []
    for event in events:
        overall = event.judgements.filter(area=JudgementArea.OVERALL).first()
        if overall:
            found.append((event.start_date, overall.grade))
    return found


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_council_is_beside_its_ten_neighbours_in_order(client, seeded):
    # Two councils in turn: the second's tables are drawn for it, not taken from the
    # pieces kept for the first (ofsted_tracker/http_cache.py).
    for slug in ("west-sussex", "kent"):
        html = client.get(compare_url(slug)).content.decode()
        latest = section(html, "latest-heading")
        council = LocalAuthority.objects.get(slug=slug)
        links = list(council.statistical_neighbours.select_related("neighbour").order_by("rank"))
        assert len(links) == 10
        positions = [latest.index(f">{council.name}</a>")]
        for link in links:
            label = f"Neighbour {link.rank}, {link.get_closeness_display().lower()}"
            position = latest.index(f">{link.neighbour.name}</a>")
            assert latest.index(label, position) < latest.index("</tr>", position)
            positions.append(position)
        assert positions == sorted(positions)


def test_each_row_has_the_latest_overall_grade(client, seeded):
    html = client.get(compare_url("west-sussex")).content.decode()
    latest = section(html, "latest-heading")
    council = LocalAuthority.objects.get(slug="west-sussex")
    for authority in [council, *(n.neighbour for n in council.statistical_neighbours.all())]:
        row = latest[latest.index(f">{authority.name}</a>") :]
        row = row[: row.index("</tr>")]
        grade = Grade(ilacs_overall(authority)[-1][1])
        overall = row.split('<td class="govuk-table__cell"')[2]
        assert f'app-grade--{grade.value}">{grade.short_label}<' in overall, authority


def test_the_region_and_england_rows_count_good_or_better(client, seeded):
    html = client.get(compare_url("kent")).content.decode()
    latest = section(html, "latest-heading")
    current = LocalAuthority.objects.current()
    for label, councils in (
        ("England", list(current)),
        (Region.SOUTH_EAST.label, list(current.filter(region=Region.SOUTH_EAST))),
    ):
        graded = [g for a in councils if (g := ilacs_overall(a)) and g]
        good = sum(grades[-1][1] in (Grade.GOOD, Grade.OUTSTANDING) for grades in graded)
        row = latest[latest.index(f">{label} <span") :]
        row = row[: row.index("</tr>")]
        assert f"all {len(councils)} councils" in row
        overall = row.split('<td class="govuk-table__cell">')[2]
        assert overall.startswith(f"{good} of {len(graded)} "), label


def test_the_history_puts_each_inspection_in_its_year(client, seeded):
    html = client.get(compare_url("west-sussex")).content.decode()
    history = section(html, "history-heading")
    years = [
        int(y)
        for y in re.findall(r'<th scope="col" class="govuk-table__header">(\d{4})</th>', history)
    ]
    assert years[0] == 2018 and years == list(range(2018, years[-1] + 1))
    council = LocalAuthority.objects.get(slug="west-sussex")
    for authority in [council, *(n.neighbour for n in council.statistical_neighbours.all())]:
        row = history[history.index(f">{authority.name}</th>") :]
        cells = row[: row.index("</tr>")].split('<td class="govuk-table__cell">')[1:]
        expected = {year: [] for year in years}
        for start, grade in ilacs_overall(authority):
            expected[start.year].append(Grade(grade))
        for year, cell in zip(years, cells, strict=True):
            shown = [g for g in Grade if f'app-grade--{g.value}"' in cell]
            assert sorted(shown) == sorted(set(expected[year])), (authority, year)


@pytest.mark.parametrize(
    "start, end, months",
    [
        ("2019-03-04", "2020-03-04", 12),
        ("2019-03-04", "2020-03-03", 11),
        ("2019-01-31", "2019-02-28", 0),
        ("2019-02-25", "2023-03-13", 48),
    ],
)
def test_months_between_counts_whole_months(start, end, months):
    first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    assert months_between(first, last) == months


@pytest.fixture
def climbers(db):
    """A council judged inadequate twice in a row and then better, and its neighbour,
    still inadequate."""
    one = LocalAuthority.objects.create(name="Oneshire", slug="oneshire", region="london")
    two = LocalAuthority.objects.create(name="Twoshire", slug="twoshire", region="london")
    StatisticalNeighbour.objects.create(
        authority=one, neighbour=two, rank=1, closeness=Closeness.VERY_CLOSE
    )
    for authority, grades in (
        (
            one,
            [
                ("2018-06-04", Grade.GOOD),
                ("2019-03-04", Grade.INADEQUATE),
                ("2021-01-11", Grade.INADEQUATE),
                ("2022-06-01", Grade.REQUIRES_IMPROVEMENT),
            ],
        ),
        (two, [("2020-09-14", Grade.INADEQUATE)]),
    ):
        for number, (start, grade) in enumerate(grades):
            event = make_inspection(authority, slug=f"{authority.slug}-{number}", start_date=start)
            make_judgement(event, JudgementArea.OVERALL, grade)
    return one, two


def test_the_time_to_climb_out_of_inadequate_runs_from_the_first_inadequate(client, climbers):
    html = client.get(compare_url("oneshire")).content.decode()
    climbs = section(html, "climbs-heading")
    row = climbs[climbs.index(">Oneshire</th>") :]
    row = row[: row.index("</tr>")]
    assert "4 March 2019" in row and "and 1 more time after" in row
    assert "1 June 2022</a>: requires improvement" in row
    assert ">38</td>" in row  # March 2019 to June 2022, less three days
    still = climbs[climbs.index(">Twoshire</th>") :]
    still = still[: still.index("</tr>")]
    assert still.count("Not yet") == 2
    assert "<strong>London:</strong> 1 spell ended, after a median of 38 months" in climbs
    assert "1 council is still inadequate" in climbs


def test_a_neighbours_new_inspection_shows_on_every_comparison_already_seen(client, climbers):
    """A council's rows are drawn once for every comparison it is in (its own, its
    neighbours'), and drawn again when the data change."""
    one, two = climbers
    for slug in ("oneshire", "twoshire"):
        climbs = section(client.get(compare_url(slug)).content.decode(), "climbs-heading")
        row = climbs[climbs.index(">Twoshire</th>") :]
        assert row[: row.index("</tr>")].count("Not yet") == 2, slug
    event = make_inspection(two, slug="twoshire-2023", start_date="2023-05-15")
    make_judgement(event, JudgementArea.OVERALL, Grade.GOOD)
    for slug in ("oneshire", "twoshire"):
        html = client.get(compare_url(slug)).content.decode()
        climbs = section(html, "climbs-heading")
        row = climbs[climbs.index(">Twoshire</th>") :]
        row = row[: row.index("</tr>")]
        assert "15 May 2023</a>: good" in row, slug
        assert ">32</td>" in row, slug  # 14 September 2020 to 15 May 2023
        latest = section(html, "latest-heading")
        row = latest[latest.index(">Twoshire</a>") :]
        overall = row[: row.index("</tr>")].split('<td class="govuk-table__cell"')[2]
        assert f'app-grade--{Grade.GOOD.value}">{Grade.GOOD.short_label}<' in overall, slug
        history = section(html, "history-heading")
        row = history[history.index(">Twoshire</th>") :]
        cells = row[: row.index("</tr>")].split('<td class="govuk-table__cell">')[1:]
        assert f'app-grade--{Grade.GOOD.value}"' in cells[2023 - 2018], slug


def test_the_page_says_where_it_compares_across_the_2023_change(client, climbers):
    one, two = climbers
    html = client.get(compare_url("oneshire")).content.decode()
    assert "Before January 2023" not in html
    event = make_inspection(two, slug="twoshire-2022", start_date="2022-10-03")
    make_judgement(event, JudgementArea.OVERALL, Grade.GOOD)
    make_judgement(event, JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS, Grade.GOOD)
    html = client.get(compare_url("oneshire")).content.decode()
    latest = section(html, "latest-heading")
    assert "Before January 2023</strong> Ofsted judged children in care and care leavers" in (
        latest
    )
    assert 'colspan="2"' in latest


def test_a_council_without_neighbours_still_has_a_page(client, authority):
    response = client.get(compare_url(authority.slug))
    assert response.status_code == 200
    assert "give no statistical neighbours for Testshire County Council" in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["council_compare", "council_compare_csv", "council_compare_json"])
def test_an_unknown_council_gets_the_404_page(client, authority, name):
    response = client.get(compare_url("atlantis", name))
    assert response.status_code == 404


def test_the_csv_has_a_row_per_council_and_per_group(client, climbers):
    response = client.get(compare_url("oneshire", "council_compare_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="oneshire-beside-its-neighbours-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Council or group"] for r in rows] == [
        "Oneshire",
        "Twoshire",
        "London: all 2 councils",
        "England: all 2 councils",
    ]
    one = rows[0]
    assert one["Compared as"] == "This council"
    assert one["Overall effectiveness"] == "Requires improvement to be good"
    assert one["Last ILACS inspection, first day on site (YYYY-MM-DD)"] == "2022-06-01"
    assert one["ILACS inspections in 2019"] == "Inadequate (4 March 2019)"
    assert one["Time to climb out of inadequate"] == (
        "inadequate from 2019-03-04 to 2022-06-01 (requires improvement): 38 months"
    )
    assert rows[1]["Compared as"] == "Neighbour 1, very close"
    assert rows[1]["Time to climb out of inadequate"] == "inadequate from 2020-09-14: not yet"
    assert rows[2]["Overall effectiveness"] == "0 of 2 good or outstanding (0%)"


def test_a_council_name_a_spreadsheet_would_run_is_defused_in_the_csv(client, climbers):
    one, _ = climbers
    one.name = "=HYPERLINK(1)"
    one.save()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(compare_url("oneshire", "council_compare_csv")).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_json_holds_the_same_comparison(client, climbers):
    data = json.loads(client.get(compare_url("oneshire", "council_compare_json")).content)
    assert data["council"]["name"] == "Oneshire"
    assert data["council"]["latest_ilacs_inspection"]["judgements"] == {
        "overall": "requires_improvement"
    }
    assert data["council"]["inadequate_spells"] == [
        {
            "judged_inadequate": "2019-03-04",
            "judged_inadequate_again": 1,
            "judged_better": "2022-06-01",
            "grade_then": "requires_improvement",
            "months": 38,
        }
    ]
    [neighbour] = data["neighbours"]
    assert (neighbour["name"], neighbour["rank"], neighbour["closeness"]) == (
        "Twoshire",
        1,
        "very_close",
    )
    assert [g["name"] for g in data["groups"]] == ["London", "England"]
    assert data["groups"][1]["climbs_out_of_inadequate"] == {
        "median_months": 38,
        "spells_ended": 1,
        "not_yet": 1,
    }
    assert "Open Government Licence v3.0" in data["neighbours_source"]
    assert set(data["council"]["sources"]) <= set(data["sources"])


def test_the_page_and_downloads_name_their_sources_and_licence(client, seeded):
    html = client.get(compare_url("west-sussex")).content.decode()
    sources = section(html, "grade-sources-heading")
    assert "Local authority inspection outcomes as at 31 March 2025" in sources
    assert "Open Government Licence v3.0" in sources
    assert "statistical neighbour groupings of April 2021" in sources
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(compare_url("west-sussex", "council_compare_csv")).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    # Each row names the sources of its own grades: Ofsted's statistics, with their licence,
    # for every council whose grades come from them.
    release = [r for r in rows if "Local authority inspection outcomes" in r["Sources"]]
    assert len(release) >= 12  # ten neighbours, the region and England
    assert all("Open Government Licence v3.0" in row["Sources"] for row in release)


def test_the_page_weighs_at_most_60_kb_compressed(client, seeded):
    sizes = compressed_kb(client.get(compare_url("west-sussex")).content)
    assert sum(sizes.values()) <= MAX_PAGE_KB, sizes


@pytest.mark.parametrize("synthetic", [0, 153, pytest.param(1530, marks=pytest.mark.scale)])
def test_the_query_count_does_not_grow_with_the_councils(
    client, seeded, django_assert_num_queries, synthetic
):
    """The 153 real councils, then with as many again and ten times as many synthetic
    ones (with no findings: these pages show only grades)."""
    if synthetic:
        generate(synthetic, seed=6, with_facts=False)
    other = "synthetic-001" if synthetic else "kent"
    for slug, page_queries in (("west-sussex", COMPARE_QUERIES), (other, COMPARE_NEXT_QUERIES)):
        with django_assert_num_queries(page_queries):
            assert client.get(compare_url(slug)).status_code == 200
        for name in ("council_compare_csv", "council_compare_json"):
            with django_assert_num_queries(COMPARE_QUERIES):
                response = client.get(compare_url(slug, name))
            assert response.status_code == 200, (slug, name)
        with django_assert_num_queries(COMPARE_KEPT_QUERIES):
            assert client.get(compare_url(slug)).status_code == 200
