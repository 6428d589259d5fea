"""The Ofsted report reader: reports of every format read right, bad files refused in a sentence.

Reports made here (tests/pdf_factory.py) check the formats on councils and years the
sample does not have; the sample reports in ../shared/ofsted/reports check the real
thing, the ILACS ones against Ofsted's own statistics.
"""

import datetime
import io

import pypdf
import pytest

from inspections.choices import Framework, Grade, InspectionType, JudgementArea
from inspections.official_data.report_pdf import MAX_FILE_BYTES
from inspections.official_data.report_reader import read_report

from ..pdf_factory import IMAGE_PAGE, make_pdf

ILACS_HEADER = [
    "Inspection of Imaginaryshire local authority children’s services",
    "3 to 14 February 2031 {page}",
]
ILACS_PAGES = [
    [
        "Inspection of Imaginaryshire local",
        "authority children’s services",
        "Inspection dates: 3 to 14 February 2031",
        "Lead inspector: Ada Lovelace, His Majesty’s Inspector",
        "Judgement Grade",
        "The impact of leaders on social work",
        "practice with children and families",
        "Outstanding",
        "The experiences and progress of",
        "children who need help and protection",
        "Requires improvement to be good",
        "The experiences and progress of",
        "children in care",
        "Inadequate",
        "The experiences and progress of care",
        "leavers",
        "Good",
        "Overall effectiveness Requires improvement to be good",
        "Leaders in Imaginaryshire know their services well.",
    ],
    [
        *ILACS_HEADER,
        "What needs to improve?",
        "• The timeliness of strategy discussions and of child protection",
        "investigations.",
        "• Placement choice for children in care.",
        "The experiences and progress of children who need help and",
        "protection: requires improvement to be good",
        "1. Early help makes a difference to children’s lives.",
    ],
    [*ILACS_HEADER, "2. Children are seen promptly."],
    [*ILACS_HEADER, "3. Care leavers are well supported."],
    [*ILACS_HEADER, "The Office for Standards in Education (Ofsted)"],
]

SIF_PAGES = [
    [
        "1",
        "Imaginary Borough Council",
        "Inspection of services for children in need of help and",
        "protection, children looked after and care leavers",
        "and",
        "Review of the effectiveness of the Local Safeguarding Children",
        "Board",
        "Inspection date: 2 March 2015 to 26 March 2015",
        "Report published: 20 May 2015",
        "Children’s services in Imaginary require improvement to be",
        "good",
        "1. Children who need help and protection Inadequate",
        "2. Children looked after and achieving",
        "permanence",
        "Requires improvement",
        "2.1 Adoption performance Outstanding",
        "2.2 Experiences and progress of care leavers Good",
        "3. Leadership, management and governance Requires improvement",
    ],
    [
        "2",
        "Recommendations",
        "1. Ensure that strategy meetings include the police.",
        "Care leavers",
        "2. Improve pathway plans so that they are clear about:",
        "• education",
        "• accommodation",
        "Summary for children and young people",
        "• Things are getting better.",
    ],
    [
        "3",
        "The Local Safeguarding Children Board (LSCB)",
        "The Local Safeguarding Children Board is outstanding",
        "The inspection team",
        "Lead inspector: Grace Hopper HMI",
        "Ofsted produces this report under its power to combine reports.",
    ],
]


def pdf_file(tmp_path, pages, name="report.pdf"):
    path = tmp_path / name
    path.write_bytes(make_pdf(pages))
    return path


def test_an_ilacs_report_of_a_council_and_year_never_seen_is_read_from_its_format(tmp_path):
    reading = read_report(pdf_file(tmp_path, ILACS_PAGES))
    assert reading.error is None
    assert reading.council == "Imaginaryshire"
    assert reading.framework == Framework.ILACS
    assert reading.inspection_type == InspectionType.STANDARD
    assert (reading.start_date, reading.end_date) == (
        datetime.date(2031, 2, 3),
        datetime.date(2031, 2, 14),
    )
    assert reading.published is None  # ILACS reports do not state it
    assert reading.lead_inspector == "Ada Lovelace"
    assert reading.judgements == {
        JudgementArea.OVERALL: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.CHILDREN_IN_CARE: Grade.INADEQUATE,
        JudgementArea.CARE_LEAVERS: Grade.GOOD,
        JudgementArea.LEADERSHIP: Grade.OUTSTANDING,
    }
    assert reading.recommendations == (
        "The timeliness of strategy discussions and of child protection investigations.",
        "Placement choice for children in care.",
    )


def test_an_ilacs_inspection_one_week_on_site_is_a_short_inspection(tmp_path):
    pages = [
        [line.replace("3 to 14 February", "3 to 7 February") for line in page]
        for page in ILACS_PAGES
    ]
    reading = read_report(pdf_file(tmp_path, pages))
    assert reading.inspection_type == InspectionType.SHORT
    assert reading.end_date == datetime.date(2031, 2, 7)


def test_before_2023_children_in_care_and_care_leavers_are_one_judgement(tmp_path):
    first = ILACS_PAGES[0]
    cut = first.index("children in care")
    combined = [
        *first[:cut],
        "children in care and care leavers",
        "Good",
        *first[cut + 6 :],
    ]
    reading = read_report(pdf_file(tmp_path, [combined, *ILACS_PAGES[1:]]))
    assert reading.judgements[JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS] == Grade.GOOD
    assert JudgementArea.CHILDREN_IN_CARE not in reading.judgements
    assert JudgementArea.CARE_LEAVERS not in reading.judgements


def test_a_sif_report_gives_every_judgement_sub_judgement_and_the_lscb_review(tmp_path):
    reading = read_report(pdf_file(tmp_path, SIF_PAGES))
    assert reading.error is None
    assert reading.council == "Imaginary"
    assert reading.framework == Framework.SIF
    assert reading.inspection_type == InspectionType.STANDARD
    assert (reading.start_date, reading.end_date, reading.published) == (
        datetime.date(2015, 3, 2),
        datetime.date(2015, 3, 26),
        datetime.date(2015, 5, 20),
    )
    assert reading.lead_inspector == "Grace Hopper"
    assert reading.judgements == {
        JudgementArea.OVERALL: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.SIF_HELP_AND_PROTECTION: Grade.INADEQUATE,
        JudgementArea.SIF_LOOKED_AFTER: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.SIF_ADOPTION: Grade.OUTSTANDING,
        JudgementArea.SIF_CARE_LEAVERS: Grade.GOOD,
        JudgementArea.SIF_LEADERSHIP: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.SIF_LSCB: Grade.OUTSTANDING,
    }
    # The subheading "Care leavers" is not part of a recommendation, the bullets under
    # one are, and the children's summary after the list is not a recommendation.
    assert reading.recommendations == (
        "Ensure that strategy meetings include the police.",
        "Improve pathway plans so that they are clear about: education; accommodation",
    )


def test_the_json_record_has_exactly_the_agreed_keys(tmp_path):
    record = read_report(pdf_file(tmp_path, SIF_PAGES, name="sif.pdf")).to_json()
    assert list(record) == [
        "file",
        "council",
        "framework",
        "inspection_type",
        "start_date",
        "end_date",
        "published",
        "lead_inspector",
        "judgements",
        "recommendations",
        "error",
    ]
    assert record["file"] == str(tmp_path / "sif.pdf")
    assert (record["start_date"], record["end_date"], record["published"]) == (
        "2015-03-02",
        "2015-03-26",
        "2015-05-20",
    )
    assert record["judgements"]["sif_lscb"] == "outstanding"
    assert record["error"] is None


def encrypted(data: bytes) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_FILES = {
    "an HTML page named .pdf": (
        b"<!DOCTYPE html><html><head><title>Ofsted</title></head></html>",
        "web page",
    ),
    "an empty file": (b"", "empty"),
    "a file of something else": (b"PK\x03\x04 a zip archive", "not a PDF"),
    "a truncated PDF": (make_pdf(ILACS_PAGES)[:1500], "truncated"),
    "an encrypted PDF": (encrypted(make_pdf(ILACS_PAGES)), "password"),
    "a scanned PDF with no text": (make_pdf([IMAGE_PAGE] * 3), "no text"),
    "a PDF that is not an Ofsted report": (
        make_pdf([["Minutes of the parish council", "Item 1: the village hall roof."] * 20]),
        "not an Ofsted report",
    ),
    "a PDF with 2,000 pages": (make_pdf([[]] * 2000), "2,000 pages"),
    "a PDF with a broken cross-reference and body": (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        "PDF",
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_gets_one_sentence_saying_why_and_nothing_else(tmp_path, kind):
    data, words = BAD_FILES[kind]
    path = tmp_path / "input.pdf"
    path.write_bytes(data)
    reading = read_report(path)
    assert words in reading.error
    assert reading.error.endswith(".") and "\n" not in reading.error
    assert reading.error.count(". ") == 0, "one sentence"
    assert (reading.framework, reading.judgements, reading.recommendations) == (None, {}, ())


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    assert read_report(tmp_path / "nowhere.pdf").error == "There is no such file."
    assert read_report(tmp_path).error == "This is a folder, not a file."


def test_a_file_far_larger_than_any_report_is_refused_unread(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    assert "larger than" in read_report(path).error


def test_reading_that_runs_out_of_time_is_abandoned_with_an_error(tmp_path):
    reading = read_report(pdf_file(tmp_path, ILACS_PAGES), time_budget=0)
    assert "took longer than" in reading.error
    assert reading.judgements == {}
