"""Ofsted's "Local authority inspection outcomes as at 31 March YYYY", read into plain records.

The spreadsheet (ODS, read with python-calamine) has a cover sheet with the release's title
and publication date, and three tables, each with one header row near the top:

- Inspections_as_at_31_March: each council's latest graded inspection;
- In-year_inspections: the year's inspections and focused and monitoring visits, with the
  visit's theme;
- ILACS_inspection_history: every ILACS standard and short inspection since 2018, with
  whether the council still exists.

One inspection appears in several sheets; `read_outcomes` merges them into one record
each, and refuses a file whose sheets disagree. Columns are found by their headings, so
a reordering does not matter. Grades are written out ("Requires improvement to be good");
a blank cell means "not judged". Before 1 January 2023 Ofsted judged children in care and
care leavers together: that judgement is in the children-in-care column and is kept as
the combined area, never mapped onto the newer one.

Reading writes nothing: it returns plain records, or raises ImportRefused with one sentence.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from python_calamine import CalamineError, CalamineWorkbook

from ..choices import AuthorityStatus, EventKind, Grade, InspectionType, JudgementArea
from .import_results import ImportRefused

LATEST = "Inspections_as_at_31_March"
IN_YEAR = "In-year_inspections"
HISTORY = "ILACS_inspection_history"
COVER = "Cover"
TITLE = re.compile(r"Local authority inspection outcomes as at 31 March (\d{4})", re.IGNORECASE)
PUBLISHED_LABEL = "published on:"
# GOV.UK makes a release page's address from its title.
RELEASE_URL = "https://www.gov.uk/government/statistics/{slug}"
PUBLISHER = "Ofsted"
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0"
# From this day Ofsted judged care leavers apart from children in care.
CARE_LEAVERS_SPLIT = datetime.date(2023, 1, 1)
ONS_CODE = re.compile(r"E\d{8}")

AREA_CODE = "Local authority area code"
NAME = "Local authority name"
STATUS = "Local authority status"
PUBLISHED = "Publication date"
OVERALL = "Overall effectiveness"
LEADERSHIP = "The impact of leaders on social work practice with children and families"
HELP = "The experiences and progress of children who need help and protection"
IN_CARE = "The experiences and progress of children in care"
CARE_LEAVERS = "The experiences and progress of care leavers"
JUDGEMENT_COLUMNS = (OVERALL, LEADERSHIP, HELP, IN_CARE, CARE_LEAVERS)
THEME = "Visit Theme"

# Each sheet's columns: (its date column, its type column or None), then the rest it needs.
SHEET_COLUMNS = {
    LATEST: ("Inspection date", None),
    IN_YEAR: ("Inspection/Visit date", "Inspection/Visit type"),
    HISTORY: ("Inspection date", "Inspection type"),
}
KINDS = {
    "ilacs standard inspection": (EventKind.INSPECTION, InspectionType.STANDARD),
    "ilacs short inspection": (EventKind.INSPECTION, InspectionType.SHORT),
    "ilacs focused visit": (EventKind.FOCUSED_VISIT, ""),
    "la monitoring visit": (EventKind.MONITORING_VISIT, ""),
}
KIND_NAMES = (
    "ILACS Standard Inspection, ILACS Short Inspection, ILACS Focused Visit, LA Monitoring visit"
)
STATUSES = {status.label.casefold(): status for status in AuthorityStatus}
GRADES = {grade.label.casefold(): grade for grade in Grade}
GRADE_NAMES = ", ".join(grade.label for grade in Grade)


@dataclass(frozen=True)
class Release:
    """The statistics release a file belongs to: what every imported record cites."""

    title: str
    as_at: datetime.date
    published_on: datetime.date
    url: str

    @property
    def reference(self) -> str:
        """A short unique reference, the Source's seed_file."""
        return f"ofsted-la-inspection-outcomes-{self.as_at.year}"


@dataclass
class Outcome:
    """One inspection or visit, as one or more rows of the file describe it."""

    ons_code: str
    council: str
    kind: EventKind
    inspection_type: str
    first_day: datetime.date
    published_on: datetime.date | None
    theme: str = ""
    grades: dict[JudgementArea, Grade] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.ons_code, self.kind, self.inspection_type, self.first_day)

    @property
    def described(self) -> str:
        """'Kent's ILACS standard inspection of 4 March 2019', for messages."""
        kind = describe_kind(self.kind, self.inspection_type)
        return f"{self.council}'s {kind} of {day(self.first_day)}"


@dataclass
class Council:
    """A council as the file names it, and whether the history says it still exists."""

    ons_code: str
    name: str
    status: AuthorityStatus | None = None


@dataclass
class Outcomes:
    release: Release
    outcomes: list[Outcome]
    councils: dict[str, Council]


def day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def describe_kind(kind: str, inspection_type: str = "") -> str:
    if kind == EventKind.INSPECTION:
        return f"ILACS {InspectionType(inspection_type).label.lower()}"
    return EventKind(kind).label.lower()


def read_outcomes(path: Path) -> Outcomes:
    """The release and every inspection and visit in the file, merged across sheets."""
    workbook = _open(path)
    names = set(workbook.sheet_names)
    for sheet in (COVER, *SHEET_COLUMNS):
        if sheet not in names:
            raise ImportRefused(
                f"{path.name} has no sheet called {sheet!r}: it is not Ofsted's "
                "'Local authority inspection outcomes' file."
            )
    release = _read_cover(workbook, path.name)
    councils: dict[str, Council] = {}
    history = _read_sheet(workbook, HISTORY, councils)
    in_year = _read_sheet(workbook, IN_YEAR, councils)
    latest = _read_sheet(workbook, LATEST, councils)
    merged: dict[tuple, Outcome] = {}
    for outcome in history + in_year:
        _merge(merged, outcome)
    graded = {
        (o.ons_code, o.first_day): o for o in merged.values() if o.kind == EventKind.INSPECTION
    }
    for outcome in latest:
        # The latest-judgements sheet does not say short or standard: the history does.
        known = graded.get((outcome.ons_code, outcome.first_day))
        if known is None:
            raise ImportRefused(
                f"{outcome.rows[0]}: {outcome.council}'s inspection of {day(outcome.first_day)} "
                f"is not in the sheet {HISTORY!r}."
            )
        outcome.inspection_type = known.inspection_type
        _merge(merged, outcome)
    return Outcomes(release, list(merged.values()), councils)


def _open(path: Path) -> CalamineWorkbook:
    if not path.is_file():
        raise ImportRefused(f"There is no file {path}.")
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as unreadable:
        raise ImportRefused(
            f"{path.name} is not a spreadsheet that can be read (Ofsted publishes these "
            "statistics as an ODS file)."
        ) from unreadable


def _rows(workbook: CalamineWorkbook, sheet: str) -> tuple[int, list[list]]:
    """The sheet's rows as Python values, and the spreadsheet number of the first one."""
    try:
        table = workbook.get_sheet_by_name(sheet)
        return table.start[0] + 1, table.to_python(skip_empty_area=False)
    except CalamineError as unreadable:
        raise ImportRefused(f"The sheet {sheet!r} cannot be read.") from unreadable


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _read_cover(workbook: CalamineWorkbook, filename: str) -> Release:
    _first, rows = _rows(workbook, COVER)
    cells = [_text(cell) for row in rows for cell in row]
    title = next((cell for cell in cells if TITLE.fullmatch(cell)), None)
    if title is None:
        raise ImportRefused(
            f"The cover sheet of {filename} does not give the title 'Local authority "
            "inspection outcomes as at 31 March YYYY'."
        )
    year = int(TITLE.fullmatch(title).group(1))
    published = next(
        (row[1] for row in rows if len(row) > 1 and _text(row[0]).casefold() == PUBLISHED_LABEL),
        None,
    )
    published_on = _date(published)
    if published_on is None:
        raise ImportRefused(
            f"The cover sheet of {filename} does not give the date it was published on."
        )
    return Release(
        title=title,
        as_at=datetime.date(year, 3, 31),
        published_on=published_on,
        url=RELEASE_URL.format(slug=slugify(title)),
    )


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _header(rows: list[list], sheet: str) -> int:
    for index, row in enumerate(rows[:10]):
        if AREA_CODE.casefold() in (_text(cell).casefold() for cell in row):
            return index
    raise ImportRefused(f"The sheet {sheet!r} has no header row with the column {AREA_CODE!r}.")


def _read_sheet(
    workbook: CalamineWorkbook, sheet: str, councils: dict[str, Council]
) -> list[Outcome]:
    first, rows = _rows(workbook, sheet)
    header_at = _header(rows, sheet)
    header = [_text(cell).casefold() for cell in rows[header_at]]
    date_column, type_column = SHEET_COLUMNS[sheet]
    wanted = [AREA_CODE, NAME, date_column, PUBLISHED, *JUDGEMENT_COLUMNS]
    if type_column:
        wanted.append(type_column)
    if sheet == IN_YEAR:
        wanted.append(THEME)
    if sheet == HISTORY:
        wanted.append(STATUS)
    for name in wanted:
        if name.casefold() not in header:
            raise ImportRefused(f"The sheet {sheet!r} has no column {name!r}.")
    column = {name: header.index(name.casefold()) for name in wanted}
    outcomes = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 1):
        cells = {name: row[index] if index < len(row) else "" for name, index in column.items()}
        if not any(_text(value) for value in cells.values()):
            continue
        where = f"Sheet {sheet!r}, row {first + offset}"
        outcome = _read_row(cells, where, date_column, type_column, sheet)
        if outcome is None:
            continue
        council = councils.setdefault(outcome.ons_code, Council(outcome.ons_code, outcome.council))
        if sheet == HISTORY:
            status = STATUSES.get(_text(cells[STATUS]).casefold())
            if status is None:
                raise ImportRefused(
                    f"{where} ({outcome.council}): {_text(cells[STATUS])!r} is not a local "
                    f"authority status ({', '.join(STATUSES[s].label for s in STATUSES)})."
                )
            council.status = status
        outcomes.append(outcome)
    return outcomes


def _read_row(cells: dict, where: str, date_column: str, type_column, sheet: str) -> Outcome | None:
    ons_code = _text(cells[AREA_CODE])
    council = _text(cells[NAME])
    if not ONS_CODE.fullmatch(ons_code):
        raise ImportRefused(
            f"{where} ({council}): {ons_code!r} is not an ONS local authority code."
        )
    where = f"{where} ({council})"
    grades_given = any(_text(cells[name]) for name in JUDGEMENT_COLUMNS)
    if sheet == LATEST and not _text(cells[date_column]) and not grades_given:
        return None  # a council not inspected under ILACS yet
    first_day = _date(cells[date_column])
    if first_day is None:
        raise ImportRefused(
            f"{where}: the {date_column.lower()} {_text(cells[date_column])!r} is not a date."
        )
    published_on = None
    if _text(cells[PUBLISHED]):
        published_on = _date(cells[PUBLISHED])
        if published_on is None:
            raise ImportRefused(
                f"{where}: the publication date {_text(cells[PUBLISHED])!r} is not a date."
            )
        if published_on < first_day:
            raise ImportRefused(
                f"{where}: the publication date, {day(published_on)}, is before the first day "
                f"on site, {day(first_day)}."
            )
    kind, inspection_type = EventKind.INSPECTION, ""
    if type_column:
        kind, inspection_type = KINDS.get(_text(cells[type_column]).casefold(), (None, None))
        if kind is None or (sheet == HISTORY and kind != EventKind.INSPECTION):
            raise ImportRefused(
                f"{where}: {_text(cells[type_column])!r} is not an inspection or visit type "
                f"this import knows ({KIND_NAMES})."
            )
    grades = _grades(cells, where, first_day)
    if kind != EventKind.INSPECTION and grades:
        raise ImportRefused(
            f"{where}: a {EventKind(kind).label.lower()} is not graded, "
            "but the row gives judgements."
        )
    theme = _text(cells.get(THEME, ""))
    return Outcome(
        ons_code=ons_code,
        council=council,
        kind=kind,
        inspection_type=inspection_type,
        first_day=first_day,
        published_on=published_on,
        theme=theme if kind != EventKind.INSPECTION else "",
        grades=grades,
        rows=[where],
    )


def _grades(cells: dict, where: str, first_day: datetime.date) -> dict[JudgementArea, Grade]:
    split = first_day >= CARE_LEAVERS_SPLIT
    areas = {
        OVERALL: JudgementArea.OVERALL,
        LEADERSHIP: JudgementArea.LEADERSHIP,
        HELP: JudgementArea.HELP_AND_PROTECTION,
        IN_CARE: (
            JudgementArea.CHILDREN_IN_CARE
            if split
            else JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS
        ),
        CARE_LEAVERS: JudgementArea.CARE_LEAVERS,
    }
    grades = {}
    for column, area in areas.items():
        text = _text(cells[column])
        if not text:
            continue  # not judged
        grade = GRADES.get(text.casefold())
        if grade is None:
            raise ImportRefused(
                f"{where}: {text!r} is not a grade on Ofsted's scale ({GRADE_NAMES})."
            )
        if area == JudgementArea.CARE_LEAVERS and not split:
            raise ImportRefused(
                f"{where}: care leavers are judged apart from children in care, but the first day "
                f"on site, {day(first_day)}, is before 1 January 2023, when Ofsted began to."
            )
        grades[area] = grade
    # In the order of a report, as the pages list them.
    return {area: grades[area] for area in JudgementArea if area in grades}


def _merge(merged: dict[tuple, Outcome], outcome: Outcome) -> None:
    known = merged.get(outcome.key)
    if known is None:
        merged[outcome.key] = outcome
        return
    first, second = known.rows[0], outcome.rows[0]
    if known.published_on != outcome.published_on:
        raise ImportRefused(
            f"{first} and {second} disagree on the publication date of {known.described}."
        )
    if known.grades != outcome.grades:
        area = next(a for a in JudgementArea if known.grades.get(a) != outcome.grades.get(a))
        grades = [g.get(area) for g in (known.grades, outcome.grades)]
        raise ImportRefused(
            f"{first} and {second} disagree on {known.described}: "
            f"{' and '.join(Grade(g).label if g else 'not judged' for g in grades)} for "
            f"{area.label[0].lower() + area.label[1:]}."
        )
    if known.theme != outcome.theme and outcome.theme:
        raise ImportRefused(f"{first} and {second} disagree on the theme of {known.described}.")
    known.rows.append(second)
