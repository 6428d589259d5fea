"""The text of a PDF file, read within bounds, or one sentence saying why it cannot be read.

Real input includes HTML pages saved under a .pdf name, truncated downloads, encrypted
and scanned files and documents that are far too long, so every way of failing becomes a
`PdfTextError` whose message is one sentence for the person who gave us the file.
"""

import re
import time
from pathlib import Path

import pypdfium2 as pdfium

# An Ofsted report on a council's children's services runs to 10-50 pages; the reader
# needs the first pages (judgements, dates, recommendations) and, in the older reports,
# the last ones (the inspection team). Reading more would only cost time.
MAX_PAGES_READ = 60
LAST_PAGES_READ = 4
# Longer than any report could be: such a file is refused rather than half read.
MAX_PAGES = 400
# Far larger than any report (they are under 2 MB): such a file is refused unread.
MAX_FILE_BYTES = 100 * 1024 * 1024
# Wall time allowed for one file's text, checked between pages.
TIME_BUDGET_SECONDS = 10.0
# Fewer characters than this on every page read means there is no text layer.
MIN_TEXT_CHARACTERS = 200
# The trailer a complete PDF ends with; a truncated download lacks it. Some writers add
# padding after it, so the tail searched is generous.
EOF_MARKER = b"%%EOF"
TAIL_BYTES = 4096

# pdfium marks a hyphen at the end of a line, which it joins to the next, as U+0002
# (U+FFFE through its UCS-2 interface). In these reports such hyphens are real
# ("foster-to-adopt"): Word does not hyphenate them.
# str.replace, not str.translate: translate is ten times slower on such text.
REPLACEMENTS = (("\x02", "-"), ("\ufffe", "-"), ("\xa0", " "), ("\r", ""))


class PdfTextError(Exception):
    """A file that cannot be read; the message is one sentence saying why."""


def read_pages(path: Path, *, time_budget: float = TIME_BUDGET_SECONDS) -> list[str]:
    """The text of each page read: the first MAX_PAGES_READ and the last LAST_PAGES_READ."""
    data = _read_bytes(path)
    _check_is_whole_pdf(data)
    deadline = time.monotonic() + time_budget
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PdfTextError(_open_error_sentence(str(error))) from None
    try:
        page_count = len(document)
        if page_count == 0:
            raise PdfTextError("The PDF has no pages.")
        if page_count > MAX_PAGES:
            raise PdfTextError(
                f"The PDF has {page_count:,} pages, far more than any Ofsted report on a "
                f"council's children's services, so it was not read (the limit is {MAX_PAGES})."
            )
        first = min(page_count, MAX_PAGES_READ)
        wanted = [*range(first), *range(max(first, page_count - LAST_PAGES_READ), page_count)]
        pages = []
        for index in wanted:
            if time.monotonic() > deadline:
                raise PdfTextError(
                    f"Reading the PDF took longer than {time_budget:g} seconds, so it was "
                    "abandoned."
                )
            pages.append(_page_text(document, index))
    except pdfium.PdfiumError:
        raise PdfTextError("The PDF is damaged and its text cannot be read.") from None
    finally:
        document.close()
    if sum(len(page.strip()) for page in pages) < MIN_TEXT_CHARACTERS:
        raise PdfTextError(
            "The PDF has no text to read (it may be a scanned image, which would need OCR)."
        )
    return pages


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise PdfTextError(
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far larger "
                "than any Ofsted report, so it was not read."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise PdfTextError("There is no such file.") from None
    except IsADirectoryError:
        raise PdfTextError("This is a folder, not a file.") from None
    except OSError as error:
        raise PdfTextError(f"The file cannot be opened ({error.strerror}).") from None
    if not data:
        raise PdfTextError("The file is empty.")
    return data


def _check_is_whole_pdf(data: bytes) -> None:
    # Checked before pdfium sees the bytes: pdfium would otherwise guess its way through
    # an HTML page or rebuild a truncated file from what is left.
    if not data.startswith(b"%PDF-"):
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise PdfTextError("The file is not a PDF: it is a web page (HTML) saved as .pdf.")
        raise PdfTextError("The file is not a PDF: it does not start with %PDF-.")
    if EOF_MARKER not in data[-TAIL_BYTES:]:
        raise PdfTextError("The PDF is truncated: it stops before the end-of-file marker.")


def _open_error_sentence(message: str) -> str:
    if "password" in message.lower():
        return "The PDF is encrypted with a password, so its text cannot be read."
    # pypdfium2 says "Failed to load document (PDFium: Data format error)."
    reason = re.search(r"PDFium: ([^)]+)", message)
    detail = reason[1].lower() if reason else message.rstrip(".")
    return f"The PDF is damaged and cannot be opened (pdfium reports a {detail})."


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text
