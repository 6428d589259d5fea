"""The files that sit beside the repository in ../shared: Ofsted's reports and statistics and
the source articles of the seed data.

Tests follow what the reports folder holds; a test that needs one report by name asks for
it with `report()`, which fails with the folder's contents when the report is not there.
The folder can be elsewhere: OFSTED_SHARED_DIR names it (and OFSTED_SEEDS_DIR the articles).
"""

import csv
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import require

SHARED = Path(os.environ.get("OFSTED_SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")
OFSTED = SHARED / "ofsted"
REPORTS = OFSTED / "reports"
SEEDS = Path(os.environ.get("OFSTED_SEEDS_DIR") or SHARED / "seeds")


def reports() -> list[Path]:
    """Every PDF in the reports folder, by name (skipped locally, failed in CI, without it)."""
    require(REPORTS.is_dir(), f"the sample Ofsted reports are not at {REPORTS}")
    return sorted(REPORTS.glob("*.pdf"))


def report(name: str) -> Path:
    """The report `name` from the reports folder; a test that needs it fails without it."""
    held = reports()
    path = REPORTS / name
    if not path.is_file():
        pytest.fail(
            f"the Ofsted report {name} is not in {REPORTS}, which holds {len(held)} reports"
            + (f" ({held[0].name} … {held[-1].name})" if held else "")
        )
    return path


def report_index() -> dict[str, dict[str, str]]:
    """The folder's index.csv, by file: Ofsted URN, council, publication date. It lists
    exactly the PDFs the folder holds."""
    held = {path.name for path in reports()}
    index_file = REPORTS / "index.csv"
    if not index_file.is_file():
        pytest.fail(f"{REPORTS} holds {len(held)} reports but no index.csv")
    with index_file.open(newline="") as handle:
        index = {row["file"]: row for row in csv.DictReader(handle)}
    unlisted, missing = sorted(held - set(index)), sorted(set(index) - held)
    assert not unlisted, f"index.csv in {REPORTS} does not list {unlisted}"
    assert not missing, f"index.csv in {REPORTS} lists reports the folder lacks: {missing}"
    return index


# A report source's seed_file names its council's Ofsted URN and its publication date; the
# PDF in the folder is named <urn>-<council>-<date>.pdf.
REPORT_SEED_FILE = re.compile(r"ofsted-report-(?P<urn>\d+)-(?P<date>\d{4}-\d\d-\d\d)")


def report_for_seed_file(seed_file: str) -> Path:
    """The PDF of the report a source's seed_file names; fails if the folder lacks it."""
    match = REPORT_SEED_FILE.fullmatch(seed_file)
    assert match, f"report {seed_file!r} does not name its URN and date"
    found = [p for p in reports() if p.name.startswith(f"{match['urn']}-")]
    found = [p for p in found if p.name.endswith(f"-{match['date']}.pdf")]
    if len(found) != 1:
        pytest.fail(
            f"the Ofsted report {seed_file} should be one file {match['urn']}-*-{match['date']}"
            f".pdf in {REPORTS}; it holds {len(found)} such among {len(reports())} reports"
        )
    return found[0]
