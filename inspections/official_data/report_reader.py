"""Read an Ofsted report on a council's children's services into a structured record.

The reader knows the formats Ofsted has used, not particular reports:

- before 2014, inspections of looked after children or of safeguarding services
  (framework "other": their judgements are on other areas and scales, so none is given);
- 2014 to 2018, the Single Inspection Framework (SIF): overall effectiveness, three key
  judgements, two sub-judgements, and the review of the Local Safeguarding Children Board;
- 2018 onwards, ILACS standard and short inspections, with children in care and care
  leavers judged together until 2022 and separately from 2023.

It works from the PDF alone and never looks anything up. A file it cannot read gets an
`error` sentence instead of a traceback.
"""

import dataclasses
import datetime
import re
from pathlib import Path

from ..choices import Framework, Grade, InspectionType, JudgementArea
from .report_pdf import TIME_BUDGET_SECONDS, PdfTextError, read_pages

OTHER_FRAMEWORK = "other"
# An ILACS short inspection is one week on site, a standard one two weeks; the reports
# do not name their type, so the dates tell.
SHORT_INSPECTION_MAX_DAYS = 7

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "13", "13 March", "13 March 2023", or "13/03/2023".
_DATE = rf"(?:\d{{1,2}}/\d{{1,2}}/\d{{4}}|{_DAY}(?:\s+{_MONTH})?(?:\s+\d{{4}})?)"
_DASH = r"(?:\s*[-–—]\s*|\s+to\s+|\s+until\s+)"
INSPECTION_DATES = re.compile(
    rf"Inspection\s+dates?\s*:?\s*(?P<start>{_DATE}){_DASH}(?P<end>{_DATE})", re.IGNORECASE
)
PUBLISHED = re.compile(rf"(?:Report\s+)?published\s*:?\s*(?P<date>{_DATE})", re.IGNORECASE)

_GRADE = r"(outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate)"
GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "inadequate": Grade.INADEQUATE,
}

_PROGRESS = "The experiences and progress of"
ILACS_TABLE = [
    (
        JudgementArea.LEADERSHIP,
        "The impact of leaders on social work practice with children and families",
    ),
    (JudgementArea.HELP_AND_PROTECTION, f"{_PROGRESS} children who need help and protection"),
    (
        JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        f"{_PROGRESS} children in care and care leavers",
    ),
    # Since 2023: the grade follows "in care" directly, so the combined row never matches.
    (JudgementArea.CHILDREN_IN_CARE, f"{_PROGRESS} children in care"),
    (JudgementArea.CARE_LEAVERS, f"{_PROGRESS} care leavers"),
    (JudgementArea.OVERALL, "Overall effectiveness"),
]
SIF_TABLE = [
    (JudgementArea.SIF_HELP_AND_PROTECTION, r"Children who need help and protection"),
    (JudgementArea.SIF_LOOKED_AFTER, r"Children looked after and achieving permanence"),
    (JudgementArea.SIF_ADOPTION, r"Adoption performance"),
    (JudgementArea.SIF_CARE_LEAVERS, r"Experiences and progress of care leavers"),
    (JudgementArea.SIF_LEADERSHIP, r"Leadership,? management and governance"),
]
SIF_OVERALL = [
    re.compile(rf"The overall judgement is (?:that children['’]s services are )?{_GRADE}", re.I),
    re.compile(rf"Children['’]s services in .{{1,90}}? (?:are|is) {_GRADE}", re.I),
    re.compile(r"Children['’]s services in .{1,90}? (requires? improvement)", re.I),
]
SIF_LSCB = re.compile(
    r"(?:The effectiveness of the (?:Local Safeguarding Children Board(?: \(LSCB\))?|LSCB)"
    rf"|The Local Safeguarding Children Board(?: \(LSCB\))?) (?:is )?{_GRADE}",
    re.IGNORECASE,
)

SIF_TITLE = re.compile(
    r"inspection of services for children in need of help and protection", re.IGNORECASE
)
ILACS_TITLE = re.compile(
    r"^\s*(?:\d+\s+)?(?:.{0,150}\s)?Inspection of (?:.{0,150}?local authority children['’]s"
    r" services|children['’]s social care services)",
    re.IGNORECASE,
)
ILACS_TABLE_HEAD = re.compile(r"The impact of leaders on social work practice", re.IGNORECASE)
# What marks a report by Ofsted on a council's services for children.
OFSTED_MARKS = re.compile(r"Ofsted|Majesty['’]s Inspector|\bHMI\b", re.IGNORECASE)
CHILDREN_MARKS = re.compile(
    r"children['’]s services|children['’]s social care|looked after children|safeguarding"
    r"|children in need|care leavers",
    re.IGNORECASE,
)

# "Lead inspector: Maire Atherton, His Majesty's Inspector", "Lead inspector: Mike
# Ferguson HMI", "Reporting inspector Gary Lamb HMI": the name without the title.
LEAD_INSPECTOR = re.compile(
    r"^(?:Lead|Reporting) inspector\s*:?\s*(?P<name>[^\n,]+?)"
    r"(?:,.*|\s+(?:Senior\s+)?(?:HMI|SHMI|OI|Her Majesty['’]s Inspector"
    r"|His Majesty['’]s Inspector|Ofsted Inspector)\b.*)?$",
    re.IGNORECASE | re.MULTILINE,
)

COUNCIL_PREFIXES = re.compile(
    r"^(?:the\s+)?(?:(?:royal|london)\s+borough\s+of|city\s+of|council\s+of\s+the)\s+",
    re.IGNORECASE,
)
COUNCIL_SUFFIXES = re.compile(
    r"\s+(?:metropolitan\s+borough|metropolitan\s+district|borough|county|city|district)?"
    r"\s*council$",
    re.IGNORECASE,
)

# Headings that open the list of what must improve, alone on their line. Case matters:
# "what needs to improve for children" also occurs mid-sentence, at the start of a line.
RECOMMENDATION_HEADINGS = re.compile(
    r"^(?:What needs to improve(?: [^.]{0,40})?\??"
    r"|What does the (?i:local authority|LSCB) need to improve\??"
    r"|Recommendations|Areas for improvement|Priority and immediate action)\s*$"
)
# Headings that close it: the next part of the report.
SECTION_HEADINGS = re.compile(
    r"^(?:Summary for children|Information about this|The local authority['’]s strengths"
    r"|Progress since the last|Key strengths and weaknesses|Inspection findings"
    r"|The experiences and progress of|Executive summary|Inspection judgements? about"
    r"|Outcomes for|Quality of provision|Capacity to improve|Record of main findings"
    r"|The inspection judgements|About this inspection|Service information|Section \d"
    r"|Overall effectiveness|Contents|The Local Safeguarding Children Board \(LSCB\)"
    r"|The effectiveness of the|Safeguarding services|Looked after children)"
    # Capitalised, and not a sentence: the same words also start lines of prose.
    r"[^.,;]*$"
)
BULLET = re.compile(r"^(?:[\ue000-\uf8ff•◼▪●■◦‣∙·]|-\s|–\s)\s*")
NUMBERED = re.compile(r"^\d{1,3}\.\s+")
SENTENCE_END = (".", ";", ":", "?", "!")
# "The inspection did not find any areas for priority and immediate action."
NOTHING_TO_IMPROVE = re.compile(r"(?:The inspection|Inspectors) did not (?:find|identify) any\b")


@dataclasses.dataclass(frozen=True)
class ReportReading:
    """What one file says, or why it could not be read (then every other field is empty)."""

    file: str
    council: str | None = None
    framework: str | None = None
    inspection_type: str | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    published: datetime.date | None = None
    lead_inspector: str | None = None
    judgements: dict[str, str] = dataclasses.field(default_factory=dict)
    recommendations: tuple[str, ...] = ()
    error: str | None = None

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "council": self.council,
            "framework": self.framework,
            "inspection_type": self.inspection_type,
            "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date),
            "published": _iso(self.published),
            "lead_inspector": self.lead_inspector,
            "judgements": dict(self.judgements),
            "recommendations": list(self.recommendations),
            "error": self.error,
        }


class NotAReportError(ValueError):
    """Text that is not an Ofsted report on a council's children's services."""


def read_report(path: str | Path, *, time_budget: float = TIME_BUDGET_SECONDS) -> ReportReading:
    """Read one file; never raises for bad input (the reading's `error` says what was wrong)."""
    name = str(path)
    try:
        pages = read_pages(Path(path), time_budget=time_budget)
        return parse_report(name, pages)
    except (PdfTextError, NotAReportError) as error:
        return ReportReading(file=name, error=str(error))
    except Exception as error:
        # Input is untrusted: a fault in pdfium or in this reader on one strange file must
        # not stop a batch with a traceback.
        return ReportReading(
            file=name, error=f"The file could not be read ({type(error).__name__}: {error})."
        )


def parse_report(name: str, pages: list[str]) -> ReportReading:
    """The structured record of a report, from the text of its pages."""
    lines = _body_lines(pages)
    text = "\n".join(lines)
    flat = _flatten(text)
    first_page = _flatten("\n".join(_page_lines(pages[0])))
    framework = _framework(first_page)
    dates = _inspection_dates(first_page)
    is_report = OFSTED_MARKS.search(flat) and CHILDREN_MARKS.search(first_page)
    if not is_report or (framework == OTHER_FRAMEWORK and dates is None):
        raise NotAReportError(
            "The PDF is not an Ofsted report on a council's children's services (its first "
            "page names no inspection dates or judgements)."
        )
    start_date, end_date = dates or (None, None)
    return ReportReading(
        file=name,
        council=_council(first_page),
        framework=framework,
        inspection_type=_inspection_type(framework, start_date, end_date),
        start_date=start_date,
        end_date=end_date,
        published=_published(first_page),
        lead_inspector=_lead_inspector(text),
        judgements=_judgements(framework, first_page, flat),
        recommendations=tuple(_recommendations(lines)),
    )


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_lines(page: str) -> list[str]:
    return [line.strip() for line in page.split("\n")]


def _body_lines(pages: list[str]) -> list[str]:
    """Every page's lines, without the running headers, footers and page numbers."""
    split = [[line for line in _page_lines(page) if line] for page in pages]
    edges: dict[str, int] = {}
    for page_lines in split:
        for line in {*page_lines[:2], *page_lines[-1:]}:
            key = _furniture_key(line)
            edges[key] = edges.get(key, 0) + 1
    # A line repeated at the top or bottom of several pages (digits aside) is a running
    # header or footer, such as "Inspection of X local authority children's services"
    # over "13 to 24 March 2023 2".
    repeated = {key for key, count in edges.items() if count >= 3 and len(split) >= 4}
    body = []
    for page_lines in split:
        last = len(page_lines) - 1
        for position, line in enumerate(page_lines):
            at_edge = position < 2 or position == last
            if at_edge and (line.isdigit() or _furniture_key(line) in repeated):
                continue
            body.append(line)
    return body


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _framework(first_page: str) -> str:
    if SIF_TITLE.search(first_page):
        return Framework.SIF.value
    if ILACS_TITLE.search(first_page) and ILACS_TABLE_HEAD.search(first_page):
        return Framework.ILACS.value
    return OTHER_FRAMEWORK


def _inspection_type(
    framework: str, start: datetime.date | None, end: datetime.date | None
) -> str | None:
    if framework == Framework.SIF:
        # The SIF had one kind of inspection; short inspections came with ILACS.
        return InspectionType.STANDARD.value
    if framework == Framework.ILACS and start and end:
        if (end - start).days < SHORT_INSPECTION_MAX_DAYS:
            return InspectionType.SHORT.value
        return InspectionType.STANDARD.value
    return None


def _inspection_dates(text: str) -> tuple[datetime.date, datetime.date] | None:
    match = INSPECTION_DATES.search(text)
    if not match:
        return None
    end = _date_parts(match["end"])
    if end is None or None in end:
        return None
    day, month, year = _date_parts(match["start"]) or (None, None, None)
    if day is None:
        return None
    month = month or end[1]
    year = year or (end[2] - 1 if month > end[1] else end[2])
    try:
        start_date = datetime.date(year, month, day)
        end_date = datetime.date(end[2], end[1], end[0])
    except ValueError:
        return None
    if end_date < start_date:
        return None
    return start_date, end_date


def _date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    text = text.strip()
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
        return day, month, year
    match = re.match(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({_MONTH}))?(?:\s+(\d{{4}}))?", text, re.I)
    if not match:
        return None
    month = MONTHS[match[2].lower()] if match[2] else None
    return int(match[1]), month, int(match[3]) if match[3] else None


def _full_date(text: str) -> datetime.date | None:
    parts = _date_parts(text)
    if parts is None or None in parts:
        return None
    day, month, year = parts
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _published(first_page: str) -> datetime.date | None:
    match = PUBLISHED.search(first_page)
    return _full_date(match["date"]) if match else None


def _lead_inspector(text: str) -> str | None:
    match = LEAD_INSPECTOR.search(text)
    if not match:
        return None
    name = match["name"].strip().rstrip(",").strip()
    return name or None


def _council(first_page: str) -> str | None:
    head = re.split(r"Inspection dates?\b", first_page, maxsplit=1, flags=re.I)[0]
    head = re.sub(r"^\d+\s+", "", head).strip()
    patterns = [
        r"Inspection of (?P<name>.+?) local authority children['’]s services",
        r"^(?P<name>.+?)\s+(?:Re-)?inspection of",
        r"^Inspection of .*?services\s+(?P<name>.+)$",
    ]
    for pattern in patterns:
        if match := re.search(pattern, head, re.IGNORECASE):
            name = COUNCIL_SUFFIXES.sub("", COUNCIL_PREFIXES.sub("", match["name"].strip()))
            name = name.strip(" ,")
            if name and len(name) <= 80:
                return name
    return None


def _grade(words: str) -> str:
    words = _flatten(words).lower()
    if words.startswith("require"):
        return Grade.REQUIRES_IMPROVEMENT.value
    return GRADE_WORDS[words].value


def _judgements(framework: str, first_page: str, flat: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if framework == Framework.ILACS:
        for area, label in ILACS_TABLE:
            if match := re.search(rf"{label}\s+{_GRADE}", first_page, re.IGNORECASE):
                found[area.value] = _grade(match[1])
    elif framework == Framework.SIF:
        for pattern in SIF_OVERALL:
            if match := pattern.search(first_page):
                found[JudgementArea.OVERALL.value] = _grade(match[1])
                break
        for area, label in SIF_TABLE:
            # The sub-judgements are numbered 1 to 3 (2.1 and 2.2) in the table.
            if match := re.search(rf"\d(?:\.\d)?\.?\s+{label}\s+{_GRADE}", first_page, re.I):
                found[area.value] = _grade(match[1])
        if match := SIF_LSCB.search(flat):
            found[JudgementArea.SIF_LSCB.value] = _grade(match[1])
    order = list(JudgementArea.values)
    return dict(sorted(found.items(), key=lambda item: order.index(item[0])))


def _recommendations(lines: list[str]) -> list[str]:
    """The items listed under "What needs to improve" or "Recommendations", in order."""
    items: list[str] = []
    inside = False
    section: list[str] = []
    for line in lines:
        if RECOMMENDATION_HEADINGS.match(line):
            inside = True
            continue
        if inside and SECTION_HEADINGS.match(line):
            items += _section_items(section)
            section = []
            inside = False
        if inside:
            section.append(line)
    items += _section_items(section)
    return items


def _section_items(lines: list[str]) -> list[str]:
    """The section's items: numbered paragraphs (each with the bullets under it), or bullets.

    The oldest reports number one lead-in paragraph ("the local authority should take the
    following action") and list the recommendations as bullets under timing headings.
    """
    numbered = sum(1 for line in lines if NUMBERED.match(line))
    bullets = sum(1 for line in lines if BULLET.match(line))
    marker = NUMBERED if numbered and numbered >= bullets else BULLET
    items: list[list[str]] = []
    for index, line in enumerate(lines):
        if marker.match(line):
            items.append([marker.sub("", line, count=1)])
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not items or _is_subheading(items[-1][-1], line, following, marker):
            continue
        item = items[-1]
        if BULLET.match(line):
            # A bullet under a numbered recommendation: keep the list's parts apart.
            if not item[-1].endswith((*SENTENCE_END, ",")):
                item[-1] += ";"
            line = BULLET.sub("", line, count=1)
        item.append(line)
    texts = [_flatten(" ".join(item)) for item in items]
    return [text for text in texts if text and not NOTHING_TO_IMPROVE.match(text)]


def _is_subheading(previous: str, line: str, following: str, marker: re.Pattern) -> bool:
    """A heading between items ("Quality of practice", "Within three months:")."""
    return (
        previous.endswith(SENTENCE_END)
        and not BULLET.match(line)
        and len(line) <= 80
        and (line.endswith(":") or not line.endswith(SENTENCE_END))
        and (not following or bool(marker.match(following)))
    )
