"""Councils and their statistical neighbours, read from the two lookup files.

- `Provider_data_lookup.csv` (data-to-insight, MIT): one row per council with its Ofsted
  URN (`urn`), DfE number (`la_code`), ONS code (`la_code_new`), name and region. A council
  that no longer exists has no current ONS code; its old one is in `ltla23_ons`.
- `New_Statistical_Neighbour_Groupings_April_2021.csv` (Department for Education, OGL):
  ten neighbours per DfE number (`SN1`...`SN10`, each followed by its closeness, `SNP`).
  Rows after the "Old SNs" heading are councils that no longer exist ("Dorset (Pre LG)":
  before local government reorganisation); those not in the first file come from here
  alone, without codes beyond their DfE number.

Reading writes nothing: it returns plain records, or raises ImportRefused with one sentence.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify

from ..choices import AuthorityStatus, Closeness, Region
from .import_results import ImportRefused

PROVIDER_COLUMNS = ("urn", "la_code", "la_code_new", "local_authority_ons_name", "region_name")
FORMER_CODE_COLUMN = "ltla23_ons"
NEIGHBOUR_COUNT = 10
# The neighbours file's mark for a council as it was before reorganisation.
PRE_REORGANISATION = re.compile(r"\s*\(Pre LG\)\s*$", re.IGNORECASE)
# A former council that shares its name with a current one is told apart by this.
FORMER_NAME_SUFFIX = " (before reorganisation)"
ONS_CODE = re.compile(r"E\d{8}")


@dataclass(frozen=True)
class Neighbour:
    dfe_number: int
    rank: int
    closeness: Closeness


@dataclass
class Council:
    name: str
    dfe_number: int
    ons_code: str = ""
    ofsted_urn: int | None = None
    region: str = ""
    status: AuthorityStatus = AuthorityStatus.CURRENT
    neighbours: list[Neighbour] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name)


def read_councils(providers: Path, neighbours: Path) -> list[Council]:
    """Every council in the two files, with its neighbours in rank order."""
    councils = _read_providers(providers)
    _read_neighbours(neighbours, councils)
    _tell_apart_former_namesakes(councils)
    _check_neighbours_exist(councils, neighbours.name)
    return sorted(councils.values(), key=lambda council: council.dfe_number)


def _open_csv(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            return list(csv.reader(file))
    except FileNotFoundError as missing:
        raise ImportRefused(f"There is no file {path}.") from missing
    except (UnicodeDecodeError, csv.Error) as unreadable:
        raise ImportRefused(f"{path.name} is not a CSV file in UTF-8.") from unreadable


def _number(value: str, what: str, where: str) -> int:
    try:
        return int(value.strip())
    except ValueError as wrong:
        raise ImportRefused(f"{where}: the {what} {value!r} is not a whole number.") from wrong


def _region(label: str, where: str) -> str:
    # The neighbours file splits London into "London (Inner)" and "London (Outer)".
    label = re.sub(r"\s*\(.*\)\s*$", "", label).strip()
    for region in Region:
        if region.label.casefold() == label.casefold():
            return region.value
    raise ImportRefused(f"{where}: {label!r} is not one of England's nine regions.")


def _read_providers(path: Path) -> dict[int, Council]:
    rows = _open_csv(path)
    header = [name.strip() for name in rows[0]] if rows else []
    missing = [name for name in (*PROVIDER_COLUMNS, FORMER_CODE_COLUMN) if name not in header]
    if missing:
        raise ImportRefused(
            f"{path.name} has no column {missing[0]!r}: it is not the provider lookup."
        )
    column = {name: header.index(name) for name in (*PROVIDER_COLUMNS, FORMER_CODE_COLUMN)}
    councils: dict[int, Council] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        value = {
            name: row[index].strip() if index < len(row) else "" for name, index in column.items()
        }
        where = f"{path.name}, line {line}"
        number = _number(value["la_code"], "DfE number", where)
        if number in councils:
            raise ImportRefused(f"{where}: DfE number {number} is given twice.")
        current_code = value["la_code_new"]
        ons_code = current_code or value[FORMER_CODE_COLUMN]
        if ons_code and not ONS_CODE.fullmatch(ons_code):
            raise ImportRefused(f"{where}: {ons_code!r} is not an ONS code for an English council.")
        if not value["local_authority_ons_name"]:
            raise ImportRefused(f"{where}: the council has no name.")
        councils[number] = Council(
            name=value["local_authority_ons_name"],
            dfe_number=number,
            ons_code=ons_code,
            ofsted_urn=_number(value["urn"], "Ofsted URN", where) if value["urn"] else None,
            region=_region(value["region_name"], where) if value["region_name"] else "",
            status=AuthorityStatus.CURRENT if current_code else AuthorityStatus.NO_LONGER_EXISTS,
        )
    return councils


def _closeness(label: str, where: str) -> Closeness:
    for closeness in Closeness:
        if closeness.label.casefold() == label.strip().casefold():
            return closeness
    raise ImportRefused(
        f"{where}: {label!r} is not a closeness the DfE uses "
        f"({', '.join(c.label for c in Closeness)})."
    )


def _read_neighbours(path: Path, councils: dict[int, Council]) -> None:
    rows = _open_csv(path)
    header = [name.strip() for name in rows[0]] if rows else []
    wanted = ["LA num", "LA Name", "GOReg"] + [f"SN{n}" for n in range(1, NEIGHBOUR_COUNT + 1)]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise ImportRefused(
            f"{path.name} has no column {missing[0]!r}: it is not the DfE's statistical "
            "neighbour groupings."
        )
    number_at, name_at, region_at = (header.index(name) for name in wanted[:3])
    # Each SNn column is followed by its closeness, headed SNP.
    ranks = [(n, header.index(f"SN{n}")) for n in range(1, NEIGHBOUR_COUNT + 1)]
    if any(index + 1 >= len(header) or header[index + 1] != "SNP" for _, index in ranks):
        raise ImportRefused(f"{path.name}: each SN column must be followed by its SNP column.")
    former_section = False
    seen: set[int] = set()
    for line, row in enumerate(rows[1:], start=2):
        row = [cell.strip() for cell in row] + [""] * (len(header) - len(row))
        if not row[number_at]:
            # A blank row, or a heading such as "Old SNs:" before the former councils.
            former_section = former_section or "old" in " ".join(row).casefold()
            continue
        where = f"{path.name}, line {line}"
        number = _number(row[number_at], "DfE number", where)
        if number in seen:
            raise ImportRefused(f"{where}: DfE number {number} is given twice.")
        seen.add(number)
        council = councils.get(number)
        if council is None:
            council = councils[number] = Council(
                name=PRE_REORGANISATION.sub("", row[name_at]),
                dfe_number=number,
                region=_region(row[region_at], where) if row[region_at] else "",
                status=(
                    AuthorityStatus.NO_LONGER_EXISTS if former_section else AuthorityStatus.CURRENT
                ),
            )
        elif former_section:
            council.status = AuthorityStatus.NO_LONGER_EXISTS
        for rank, index in ranks:
            if not row[index] and not row[index + 1]:
                continue
            neighbour = _number(row[index], f"neighbour SN{rank}", where)
            if neighbour == number:
                raise ImportRefused(f"{where}: council {number} is given as its own neighbour.")
            if any(n.dfe_number == neighbour for n in council.neighbours):
                raise ImportRefused(f"{where}: neighbour {neighbour} is given twice.")
            closeness = _closeness(row[index + 1], where)
            council.neighbours.append(Neighbour(neighbour, rank, closeness))


def _tell_apart_former_namesakes(councils: dict[int, Council]) -> None:
    current_names = {
        c.name.casefold() for c in councils.values() if c.status == AuthorityStatus.CURRENT
    }
    for council in councils.values():
        former = council.status == AuthorityStatus.NO_LONGER_EXISTS
        if former and council.name.casefold() in current_names:
            council.name += FORMER_NAME_SUFFIX
    names: dict[str, Council] = {}
    for council in councils.values():
        other = names.setdefault(council.slug, council)
        if other is not council:
            raise ImportRefused(
                f"Two councils, {other.name} ({other.dfe_number}) and {council.name} "
                f"({council.dfe_number}), would have the same name."
            )


def _check_neighbours_exist(councils: dict[int, Council], filename: str) -> None:
    for council in councils.values():
        for neighbour in council.neighbours:
            if neighbour.dfe_number not in councils:
                raise ImportRefused(
                    f"{filename} gives {neighbour.dfe_number} as a neighbour of "
                    f"{council.name}, but no council has that DfE number."
                )
