"""The reader on every sample report in ../shared/ofsted/reports, however many it holds.

Every report is read; the ILACS reports are checked against Ofsted's own statistics (the
ILACS inspection history in ../shared/ofsted/outcomes); the SIF and older reports, and what
the statistics do not give (the last day on site, the lead inspector), against the tables
below, written by reading each report's first page and its inspection team. A report the
tables name must be in the folder; a report they do not name is read and checked against
the statistics and its index entry.
"""

import datetime

import pytest

from inspections.choices import Framework, Grade, InspectionType, JudgementArea
from inspections.official_data.report_reader import ReportReading, read_report
from tests.shared_files import OFSTED, report, report_index

from ..conftest import require

OUTCOMES = OFSTED / "outcomes" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"

GRADE_CODES = {
    "OS": Grade.OUTSTANDING,
    "G": Grade.GOOD,
    "RI": Grade.REQUIRES_IMPROVEMENT,
    "IN": Grade.INADEQUATE,
}
SIF_AREAS = [
    JudgementArea.OVERALL,
    JudgementArea.SIF_HELP_AND_PROTECTION,
    JudgementArea.SIF_LOOKED_AFTER,
    JudgementArea.SIF_ADOPTION,
    JudgementArea.SIF_CARE_LEAVERS,
    JudgementArea.SIF_LEADERSHIP,
    JudgementArea.SIF_LSCB,
]
# file: framework, first and last day on site, published (as the PDF states it, which is
# not always the reports site's date), lead inspector, and the grades in SIF_AREAS order
# (OS outstanding, G good, RI requires improvement, IN inadequate; the last, the LSCB
# review, is absent from the 2018 reports, which had none). Reports
# before 2014 ("other") judged other areas on another scale: the reader gives none.
SIF_AND_OLDER = {
    "80418-norfolk-2013-08-16.pdf":
        ("other", "2013-07-08", "2013-07-12", "2013-08-16", "Gary Lamb", ""),
    "80476-kent-2013-08-23.pdf":
        ("other", "2013-07-15", "2013-07-19", "2013-08-23", "Helen Cawston", ""),
    "80549-sandwell-2013-08-02.pdf":
        ("other", "2013-06-24", "2013-06-28", "2013-08-02", "Christopher Sands", ""),
    "80473-hartlepool-2014-02-11.pdf":
        ("sif", "2013-11-19", "2013-12-11", None, "Lynn Radley", "G G G G G G RI"),
    "80467-east-sussex-2014-03-21.pdf":
        ("sif", "2014-01-14", "2014-02-05", None, "Helen Cawston", "G G G OS RI G G"),
    "80488-bexley-2014-05-23.pdf":
        ("sif", "2014-03-11", "2014-04-02", "2014-05-23", "Pietro Battista", "RI RI RI RI RI RI IN"),  # noqa: E501
    "80577-west-berkshire-2015-05-18.pdf":
        ("sif", "2015-03-03", "2015-03-25", "2015-05-13", "Linda Steele", "IN IN RI RI RI RI RI"),
    "80545-kingston-upon-thames-2015-08-03.pdf":
        ("sif", "2015-05-22", "2015-06-18", "2015-08-03", "Jansy Kelly", "G G G G G G G"),
    "80564-stoke-on-trent-2015-08-12.pdf":
        ("sif", "2015-06-01", "2015-06-25", "2015-08-10", "Peter McEntee", "RI RI RI G RI RI RI"),
    "80578-west-sussex-2016-01-20.pdf":
        ("sif", "2015-10-26", "2015-11-19", "2016-01-20", "Mike Ferguson", "RI RI RI RI RI RI RI"),
    "80490-bromley-2016-06-27.pdf":
        ("sif", "2016-04-11", "2016-05-05", "2016-06-27", "Marcie Taylor", "IN IN IN IN IN IN RI"),
    "80540-reading-2016-08-05.pdf":
        ("sif", "2016-05-23", "2016-06-15", "2016-08-05", "Nick Stacey", "IN IN IN RI RI IN RI"),
    "80496-hackney-2016-09-21.pdf":
        ("sif", "2016-07-04", "2016-07-28", "2016-09-20", "Jansy Kelly", "G G G G OS G OS"),
    "80483-leicestershire-2017-02-13.pdf":
        ("sif", "2016-11-14", "2016-12-08", "2017-02-13", "Carolyn Spray", "RI RI RI RI RI RI G"),
    "80579-wigan-2017-03-31.pdf":
        ("sif", "2017-01-16", "2017-02-09", "2017-03-31", "Sue Myers", "G RI G OS G G RI"),
    "80526-north-east-lincolnshire-2017-09-25.pdf":
        ("sif", "2017-07-10", "2017-08-03", "2017-09-25", "Sheena Doyle", "G RI G G G G RI"),
    "80567-surrey-2018-05-16.pdf":
        ("sif", "2018-02-26", "2018-03-22", "2018-05-16", "Nick Stacey", "IN IN RI G RI IN"),
    "80458-darlington-2018-05-21.pdf":
        ("sif", "2018-02-27", "2018-03-22", "2018-05-21", "Graham Reiter", "RI RI RI G G RI"),
}  # fmt: skip
# ILACS reports: last day on site and lead inspector (the statistics give neither).
ILACS_END_AND_LEAD = {
    "80432-bolton-2018-06-12.pdf": ("2018-05-04", "John Roughton"),
    "80578-west-sussex-2019-05-08.pdf": ("2019-03-08", "Linda Steele"),
    "80568-swindon-2019-08-12.pdf": ("2019-07-12", "Emmy Tomsett"),
    "80508-lewisham-2019-08-19.pdf": ("2019-07-19", "Kate Malleson"),
    "80540-reading-2019-10-28.pdf": ("2019-09-27", "Tracey Scott"),
    "80523-middlesbrough-2020-01-24.pdf": ("2019-12-06", "Jan Edwards"),
    "80546-windsor-maidenhead-2020-02-24.pdf": ("2020-01-24", "Maire Atherton"),
    "80492-croydon-2020-03-16.pdf": ("2020-02-14", "Tara Geere"),
    "80482-leicester-2021-11-12.pdf": ("2021-10-01", "Neil Penswick"),
    "2532283-dorset-2021-11-19.pdf": ("2021-10-08", "Steve Lowe"),
    "80526-north-east-lincolnshire-2021-11-26.pdf": ("2021-10-15", "Matt Reed"),
    "2532287-bournemouth-christchurch-poole-2022-02-11.pdf": ("2021-12-17", "Steve Lowe"),
    "80436-bracknell-forest-2022-07-29.pdf": ("2022-06-17", "Amanda Maxwell"),
    "80543-rotherham-2022-08-12.pdf": ("2022-07-01", "Neil Penswick"),
    "80441-bristol-2023-03-10.pdf": ("2023-01-27", "Tracey Ledder"),
    "80578-west-sussex-2023-05-11.pdf": ("2023-03-24", "Maire Atherton"),
    "80501-hillingdon-2023-11-20.pdf": ("2023-10-06", "Christine Kennet"),
    "80580-wiltshire-2023-12-12.pdf": ("2023-09-29", "Kendra Bell"),
    "80547-rutland-2024-07-12.pdf": ("2024-04-26", "Rachel Griffiths"),
    "80556-south-gloucestershire-2024-07-23.pdf": ("2024-06-14", "Anna Gravelle"),
    "80546-windsor-maidenhead-2024-11-19.pdf": ("2024-10-11", "Claire Beckingham"),
    "80516-tower-hamlets-2025-01-13.pdf": ("2024-11-15", "Amanda Maxwell"),
    "80469-gateshead-2025-01-29.pdf": ("2024-12-06", "Rachel Fairhurst"),
    "2532287-bournemouth-christchurch-poole-2025-01-29.pdf": ("2024-12-13", "John Roughton"),
}
HTML_SAVED_AS_PDF = {
    "80429-birmingham-2012-10-19.pdf",
    "80490-bromley-2012-08-17.pdf",
    "80543-rotherham-2012-08-10.pdf",
}
STATISTICS_GRADES = {label: grade for grade, label in Grade.choices}
STATISTICS_TYPES = {
    "ILACS Standard Inspection": InspectionType.STANDARD,
    "ILACS Short Inspection": InspectionType.SHORT,
}


@pytest.fixture(scope="module")
def index():
    """The sample's index: file, Ofsted URN, council, publication date on the reports site."""
    return report_index()


@pytest.fixture(scope="module")
def readings(index) -> dict[str, ReportReading]:
    """Every report in the folder, read."""
    return {name: read_report(report(name)) for name in index}


def reading_of(readings: dict[str, ReportReading], name: str) -> ReportReading:
    """A report the tables name, read; the test fails if the folder does not hold it."""
    if name not in readings:
        report(name)
    return readings[name]


@pytest.fixture(scope="module")
def ilacs_history():
    """Ofsted's ILACS inspection history, one dict per inspection."""
    require(OUTCOMES.is_file(), f"Ofsted's inspection outcomes are not at {OUTCOMES}")
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(OUTCOMES).get_sheet_by_name("ILACS_inspection_history")
    rows = sheet.to_python()
    header = rows[2]  # the table starts at A3
    return [dict(zip(header, row, strict=True)) for row in rows[3:] if any(row)]


def same_council(a: str, b: str) -> bool:
    """The same council, however written: "&" or "and", and "Leeds City" (as the council
    names itself in its reports) or "Leeds"."""

    def key(name):
        words = name.casefold().replace("&", "and").split()
        return " ".join(words[:-1] if len(words) > 1 and words[-1] == "city" else words)

    return key(a) == key(b)


def expected_ilacs_judgements(row: dict) -> dict[str, str]:
    grade = {
        column: STATISTICS_GRADES[row[column]] for column in row if row[column] in STATISTICS_GRADES
    }
    judgements = {
        JudgementArea.OVERALL: grade["Overall effectiveness"],
        JudgementArea.LEADERSHIP: grade[
            "The impact of leaders on social work practice with children and families"
        ],
        JudgementArea.HELP_AND_PROTECTION: grade[
            "The experiences and progress of children who need help and protection"
        ],
    }
    in_care = grade["The experiences and progress of children in care"]
    care_leavers = grade.get("The experiences and progress of care leavers")
    # Before 2023 the care-leavers column is blank and the children-in-care column holds
    # the combined judgement.
    if care_leavers is None:
        judgements[JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS] = in_care
    else:
        judgements[JudgementArea.CHILDREN_IN_CARE] = in_care
        judgements[JudgementArea.CARE_LEAVERS] = care_leavers
    return judgements


def test_every_ilacs_report_agrees_with_ofsteds_statistics(index, readings, ilacs_history):
    checked = set()
    for name, entry in index.items():
        published = datetime.date.fromisoformat(entry["published"])
        rows = [
            row
            for row in ilacs_history
            if same_council(row["Local authority name"], entry["council"])
            and row["Publication date"].date() == published
        ]
        if not rows:
            continue
        (row,) = rows
        reading = readings[name]
        assert reading.error is None, name
        assert reading.framework == Framework.ILACS, name
        assert reading.inspection_type == STATISTICS_TYPES[row["Inspection type"]], name
        assert reading.start_date == row["Inspection date"].date(), name
        assert reading.judgements == expected_ilacs_judgements(row), name
        checked.add(name)
    # Every ILACS report in the tables is in the statistics, so every one was checked; so
    # was every other ILACS report in the folder published while the statistics were kept.
    for name in ILACS_END_AND_LEAD:
        reading_of(readings, name)
    assert set(ILACS_END_AND_LEAD) <= checked
    last_published = max(row["Publication date"].date() for row in ilacs_history)
    covered = {
        name
        for name, reading in readings.items()
        if reading.framework == Framework.ILACS
        and datetime.date.fromisoformat(index[name]["published"]) <= last_published
    }
    assert covered <= checked, sorted(covered - checked)


@pytest.mark.parametrize("name", ILACS_END_AND_LEAD)
def test_an_ilacs_report_gives_its_last_day_on_site_and_lead_inspector(readings, name):
    end, lead = ILACS_END_AND_LEAD[name]
    reading = reading_of(readings, name)
    assert reading.end_date == datetime.date.fromisoformat(end)
    assert reading.lead_inspector == lead
    assert reading.published is None  # an ILACS report does not state it


@pytest.mark.parametrize("name", SIF_AND_OLDER)
def test_a_sif_or_older_report_reads_as_written(readings, name):
    framework, start, end, published, lead, grades = SIF_AND_OLDER[name]
    reading = reading_of(readings, name)
    assert reading.error is None
    assert reading.framework == framework
    assert reading.inspection_type == (
        InspectionType.STANDARD if framework == Framework.SIF else None
    )
    assert reading.start_date == datetime.date.fromisoformat(start)
    assert reading.end_date == datetime.date.fromisoformat(end)
    assert reading.published == (published and datetime.date.fromisoformat(published))
    assert reading.lead_inspector == lead
    expected = [GRADE_CODES[code] for code in grades.split()]
    assert reading.judgements == dict(zip(SIF_AREAS, expected, strict=False))


def test_every_report_in_the_folder_names_its_council_and_its_days_on_site(index, readings):
    for name in set(SIF_AND_OLDER) | set(ILACS_END_AND_LEAD) | HTML_SAVED_AS_PDF:
        reading_of(readings, name)
    pdfs = set(index) - HTML_SAVED_AS_PDF
    for name in pdfs:
        reading = readings[name]
        assert same_council(reading.council, index[name]["council"]), name
        assert reading.start_date <= reading.end_date, name
        published = datetime.date.fromisoformat(index[name]["published"])
        assert reading.end_date <= published, name


def test_the_html_pages_saved_as_pdf_are_refused_and_the_rest_are_read(readings):
    for name in HTML_SAVED_AS_PDF:
        reading_of(readings, name)
    for name, reading in readings.items():
        if name in HTML_SAVED_AS_PDF:
            assert reading.error == "The file is not a PDF: it is a web page (HTML) saved as .pdf."
        else:
            assert reading.error is None, name


def test_the_2023_west_sussex_report_lists_its_seven_improvements(readings):
    improvements = reading_of(readings, "80578-west-sussex-2023-05-11.pdf").recommendations
    assert len(improvements) == 7
    assert improvements[0] == (
        "The timeliness and quality of strategy discussions and child protection investigations."
    )
    assert improvements[-1].endswith("as they transition their leave to remain.")


def test_a_sif_report_lists_the_councils_recommendations_then_the_boards(readings):
    recommendations = reading_of(readings, "80578-west-sussex-2016-01-20.pdf").recommendations
    assert len(recommendations) == 13 + 5
    assert recommendations[0].startswith("Strengthen the quality of child protection")
    # A hyphen that ends a line in the PDF stays a hyphen.
    assert "robustness of decision-making" in recommendations[4]
    assert recommendations[13].startswith("Ensure that all relevant partners provide")
