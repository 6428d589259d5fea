"""CSV downloads that spreadsheets open as the site means them."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The cell as text, with a leading apostrophe where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_response(header: list[str], rows: Iterable[Iterable], filename: str) -> HttpResponse:
    """A CSV attachment: the header, then each row with every cell spreadsheet_safe()."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(spreadsheet_safe(cell) for cell in row)
    # The byte-order mark makes Excel read the file as UTF-8 (curly quotes, pound signs).
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
