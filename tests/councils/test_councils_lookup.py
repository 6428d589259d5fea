"""import_councils: every council, current or former, and its DfE statistical neighbours."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from inspections.choices import AuthorityStatus, Closeness, Region
from inspections.models import LocalAuthority, StatisticalNeighbour

from ..ods_files import NEIGHBOURS, OUTCOMES, PROVIDERS

pytestmark = pytest.mark.django_db

FORMER = {
    "Cumbria",
    "Northamptonshire",
    "Poole",
    "Bournemouth",
    "Dorset (before reorganisation)",
}


def run(providers=PROVIDERS, neighbours=NEIGHBOURS) -> str:
    out = io.StringIO()
    call_command("import_councils", providers=providers, neighbours=neighbours, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(seed_data):
    return run()


def table_contents() -> list:
    out = io.StringIO()
    call_command("dumpdata", "inspections", format="json", stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], r["pk"]))


def neighbour_rows() -> dict[str, list[str]]:
    """The DfE file's rows by DfE number, read here without the importer."""
    with NEIGHBOURS.open(encoding="utf-8-sig", newline="") as file:
        return {row[0]: row for row in csv.reader(file) if row and row[0]}


def test_every_current_council_and_those_that_no_longer_exist_are_loaded(imported):
    current = LocalAuthority.objects.filter(status=AuthorityStatus.CURRENT)
    assert current.count() == 153
    former = LocalAuthority.objects.filter(status=AuthorityStatus.NO_LONGER_EXISTS)
    assert set(former.values_list("name", flat=True)) == FORMER
    assert "Councils: 157 added, 1 updated, 0 unchanged" in imported


def test_the_lookups_west_sussex_is_the_seed_datas_west_sussex(imported):
    west_sussex = LocalAuthority.objects.get(dfe_number=938)
    assert west_sussex.pk == 1
    assert west_sussex.slug == "west-sussex"
    assert west_sussex.name == "West Sussex County Council"
    assert west_sussex.ons_code == "E10000032"
    assert west_sussex.ofsted_urn == 80578
    assert west_sussex.region == Region.SOUTH_EAST
    assert west_sussex.ofsted_url == "https://reports.ofsted.gov.uk/provider/44/80578"
    assert LocalAuthority.objects.filter(name__icontains="west sussex").count() == 1


def test_the_other_councils_have_addresses_made_from_their_names(imported):
    assert LocalAuthority.objects.get(slug="kent").name == "Kent"
    bcp = LocalAuthority.objects.get(slug="bournemouth-christchurch-and-poole")
    assert bcp.ons_code == "E06000058"
    assert LocalAuthority.objects.get(slug="dorset").status == AuthorityStatus.CURRENT
    old_dorset = LocalAuthority.objects.get(slug="dorset-before-reorganisation")
    assert old_dorset.dfe_number == 835


def test_a_council_without_an_ofsted_urn_has_no_ofsted_link(imported):
    bournemouth = LocalAuthority.objects.get(slug="bournemouth")
    assert bournemouth.ofsted_urn is None
    assert bournemouth.ofsted_url == ""


def test_neighbours_are_in_the_dfe_order_with_their_closeness(imported):
    rows = neighbour_rows()
    for number in ("938", "886", "202", "928"):
        row = rows[number]
        expected = [(int(row[5 + 2 * i]), row[6 + 2 * i].casefold()) for i in range(10)]
        stored = StatisticalNeighbour.objects.filter(authority__dfe_number=number)
        assert [(n.rank, n.neighbour.dfe_number) for n in stored] == [
            (rank, dfe) for rank, (dfe, _closeness) in enumerate(expected, start=1)
        ]
        assert [n.get_closeness_display().casefold() for n in stored] == [
            closeness for _dfe, closeness in expected
        ]


def test_councils_newer_than_the_2021_groupings_have_no_neighbours(imported):
    for name in ("Cumberland", "Westmorland and Furness"):
        assert not StatisticalNeighbour.objects.filter(authority__name=name).exists()
    with_neighbours = LocalAuthority.objects.filter(statistical_neighbours__isnull=False)
    assert with_neighbours.distinct().count() == len(neighbour_rows()) - 1  # less the header


def test_importing_the_same_files_again_changes_nothing(imported):
    before = table_contents()
    output = run()
    assert table_contents() == before
    assert "Councils: 0 added, 0 updated, 158 unchanged" in output
    assert "Statistical neighbours: 0 added, 0 updated" in output


def changed_neighbours(tmp_path, edit) -> str:
    rows = list(csv.reader(NEIGHBOURS.open(encoding="utf-8-sig", newline="")))
    edit(rows)
    path = tmp_path / "neighbours.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def test_new_groupings_update_the_neighbours_that_changed(imported, tmp_path):
    def swap_west_sussex_first_two(rows):
        row = next(r for r in rows if r[0] == "938")
        row[5:7], row[7:9] = row[7:9], row[5:7]

    output = run(neighbours=changed_neighbours(tmp_path, swap_west_sussex_first_two))
    assert "Statistical neighbours: 0 added, 2 updated" in output
    first_two = StatisticalNeighbour.objects.filter(authority__slug="west-sussex")[:2]
    assert [n.neighbour.name for n in first_two] == ["South Gloucestershire", "Hampshire"]


def replace_cell(number: str, index: int, value: str):
    def edit(rows):
        next(r for r in rows if r[0] == number)[index] = value

    return edit


WRONG_NEIGHBOURS = {
    "a closeness the DfE does not use": (
        replace_cell("938", 6, "Next door"),
        "'Next door' is not a closeness",
    ),
    "a neighbour no council has": (
        replace_cell("938", 5, "999"),
        "gives 999 as a neighbour of West Sussex",
    ),
    "a council as its own neighbour": (
        replace_cell("938", 5, "938"),
        "council 938 is given as its own neighbour",
    ),
    "a neighbour given twice": (replace_cell("938", 7, "850"), "neighbour 850 is given twice"),
    "a region that is not English": (
        # Bournemouth before reorganisation: its region comes from this file alone.
        replace_cell("837", 4, "Wales"),
        "'Wales' is not one of England's nine regions",
    ),
}


@pytest.mark.parametrize("case", WRONG_NEIGHBOURS)
def test_a_wrong_neighbours_file_is_refused_and_nothing_written(seed_data, tmp_path, case):
    edit, message = WRONG_NEIGHBOURS[case]
    before = table_contents()
    with pytest.raises(CommandError, match=message):
        run(neighbours=changed_neighbours(tmp_path, edit))
    assert table_contents() == before


@pytest.mark.parametrize(
    ("providers", "neighbours", "message"),
    [
        (NEIGHBOURS, NEIGHBOURS, "has no column 'urn': it is not the provider lookup"),
        (PROVIDERS, PROVIDERS, "has no column 'LA num': it is not the DfE's statistical"),
        (OUTCOMES, NEIGHBOURS, "is not a CSV file in UTF-8"),
    ],
)
def test_the_wrong_lookup_file_is_refused_and_nothing_written(
    seed_data, providers, neighbours, message
):
    before = table_contents()
    with pytest.raises(CommandError, match=message):
        run(providers, neighbours)
    assert table_contents() == before


# The database's own rules -----------------------------------------------------------------


@pytest.fixture
def two(db):
    return (
        LocalAuthority.objects.create(name="Aton", slug="aton"),
        LocalAuthority.objects.create(name="Beton", slug="beton"),
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"rank": 11},
        {"rank": 0},
        {"neighbour": "self"},
        {"closeness": "next_door"},
    ],
)
def test_the_database_refuses_a_neighbour_that_breaks_the_rules(two, fields):
    authority, other = two
    values = {"authority": authority, "neighbour": other, "rank": 1}
    values |= {"closeness": Closeness.CLOSE} | fields
    if values["neighbour"] == "self":
        values["neighbour"] = authority
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticalNeighbour.objects.create(**values)


def test_the_database_refuses_a_rank_or_a_neighbour_twice(two):
    authority, other = two
    third = LocalAuthority.objects.create(name="Ceton", slug="ceton")
    StatisticalNeighbour.objects.create(
        authority=authority, neighbour=other, rank=1, closeness=Closeness.CLOSE
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticalNeighbour.objects.create(
            authority=authority, neighbour=third, rank=1, closeness=Closeness.CLOSE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticalNeighbour.objects.create(
            authority=authority, neighbour=other, rank=2, closeness=Closeness.CLOSE
        )


def test_the_database_refuses_an_ons_code_or_a_region_twice_or_wrong(two):
    authority, other = two
    LocalAuthority.objects.filter(pk=authority.pk).update(ons_code="E10000032")
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalAuthority.objects.filter(pk=other.pk).update(ons_code="E10000032")
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalAuthority.objects.filter(pk=other.pk).update(region="wales")
    # Blank codes are many councils' (those entered by hand), not a clash.
    LocalAuthority.objects.create(name="Ceton", slug="ceton")
