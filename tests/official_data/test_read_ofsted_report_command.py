"""`manage.py read_ofsted_report FILE [FILE ...]`: one JSON array, and an exit status."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ..pdf_factory import make_pdf
from .test_report_reader import ILACS_PAGES, SIF_PAGES


@pytest.fixture
def reports(tmp_path):
    paths = {
        "ilacs": tmp_path / "ilacs.pdf",
        "sif": tmp_path / "sif.pdf",
        "html": tmp_path / "saved-page.pdf",
    }
    paths["ilacs"].write_bytes(make_pdf(ILACS_PAGES))
    paths["sif"].write_bytes(make_pdf(SIF_PAGES))
    paths["html"].write_bytes(b"<!DOCTYPE html>\n<html><body>Ofsted</body></html>")
    return paths


def run(*files: Path) -> list[dict]:
    out = io.StringIO()
    call_command("read_ofsted_report", *map(str, files), stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_one_object_per_file_in_the_order_given(reports):
    records = run(reports["sif"], reports["ilacs"])
    assert [record["file"] for record in records] == [str(reports["sif"]), str(reports["ilacs"])]
    assert [record["framework"] for record in records] == ["sif", "ilacs"]
    assert records[1]["judgements"]["children_in_care"] == "inadequate"
    assert all(record["error"] is None for record in records)


def test_a_file_that_cannot_be_read_fails_the_command_but_the_others_are_still_printed(reports):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 files could not be read"):
        call_command("read_ofsted_report", str(reports["html"]), str(reports["ilacs"]), stdout=out)
    html, ilacs = json.loads(out.getvalue())
    assert html["error"] == "The file is not a PDF: it is a web page (HTML) saved as .pdf."
    assert html["judgements"] == {} and html["council"] is None
    assert ilacs["council"] == "Imaginaryshire" and ilacs["error"] is None


def test_the_exit_status_is_0_when_every_file_was_read_and_1_otherwise(reports):
    def status(*files):
        return subprocess.run(
            [sys.executable, "manage.py", "read_ofsted_report", *map(str, files)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )

    good = status(reports["ilacs"], reports["sif"])
    assert good.returncode == 0
    assert len(json.loads(good.stdout)) == 2
    bad = status(reports["ilacs"], reports["html"])
    assert bad.returncode == 1
    assert len(json.loads(bad.stdout)) == 2
    assert "Traceback" not in bad.stderr
