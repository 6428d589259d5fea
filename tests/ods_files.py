"""Spreadsheets for the import tests: the real file's sheets as lists, and a small ODS writer.

python-calamine only reads. An ODS file is a zip of a few XML files, so the tests write
their own (mimetype first and stored, a manifest, content.xml) rather than depend on a
writer library for four functions' worth of XML.
"""

import datetime
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from python_calamine import CalamineWorkbook

OFSTED_DIR = Path(settings.BASE_DIR) / "fixtures" / "ofsted"
OUTCOMES = OFSTED_DIR / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
PROVIDERS = OFSTED_DIR / "Provider_data_lookup.csv"
NEIGHBOURS = OFSTED_DIR / "New_Statistical_Neighbour_Groupings_April_2021.csv"

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet>
</office:body></office:document-content>
"""


def read_sheets(path: Path = OUTCOMES) -> dict[str, list[list]]:
    """Every sheet of a workbook as rows of Python values (dates as datetimes)."""
    workbook = CalamineWorkbook.from_path(str(path))
    return {
        name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in workbook.sheet_names
    }


def _cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join(
            "<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            "content.xml", CONTENT.format(tables=tables), compress_type=zipfile.ZIP_DEFLATED
        )
    return path


def column(rows: list[list], heading: str) -> int:
    """The index of a column in a sheet whose header row is the third, as Ofsted's are."""
    return rows[2].index(heading)
