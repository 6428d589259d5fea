"""import_ofsted_outcomes: Ofsted's statistics as the site's events, judgements and sources.

The real file is the committed copy in fixtures/ofsted/. Files for the other cases are
written from its sheets, changed, with the small ODS writer in ods_files.
"""

import copy
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.choices import (
    DatePrecision,
    EventKind,
    EventStatus,
    Grade,
    InspectionType,
    JudgementArea,
    SourceKind,
)
from inspections.models import Event, EventSource, Judgement, LocalAuthority, Source
from inspections.official_data.council_import import import_council_files

from ..conftest import require
from ..ods_files import NEIGHBOURS, OUTCOMES, PROVIDERS, column, read_sheets, write_ods

pytestmark = pytest.mark.django_db

HISTORY = "ILACS_inspection_history"
IN_YEAR = "In-year_inspections"
LATEST = "Inspections_as_at_31_March"
RELEASE_URL = "https://www.gov.uk/government/statistics/local-authority-inspection-outcomes-as-at-31-march-2025"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0"
WEST_SUSSEX = "E10000032"
OVERALL = "Overall effectiveness"
IN_CARE = "The experiences and progress of children in care"
CARE_LEAVERS = "The experiences and progress of care leavers"


@pytest.fixture
def councils(seed_data):
    """The articles' West Sussex and every council from the lookups, as seed loads them."""
    import_council_files()


@pytest.fixture
def imported(councils):
    return run(OUTCOMES)


@pytest.fixture
def sheets():
    return copy.deepcopy(SHEETS)


SHEETS = read_sheets()


def run(path) -> str:
    out = io.StringIO()
    call_command("import_ofsted_outcomes", str(path), stdout=out)
    return out.getvalue()


def table_contents() -> list:
    out = io.StringIO()
    call_command("dumpdata", "inspections", format="json", stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], r["pk"]))


def data_rows(sheet: str) -> list[list]:
    return [row for row in SHEETS[sheet][3:] if any(row)]


def release() -> Source:
    return Source.objects.get(kind=SourceKind.STATISTICS)


def distinct_visits() -> set[tuple]:
    """(ONS code, type, first day) of every inspection and visit in the real file."""
    history, in_year = SHEETS[HISTORY], SHEETS[IN_YEAR]
    code, first_day, kind = (
        column(history, h)
        for h in ("Local authority area code", "Inspection date", "Inspection type")
    )
    found = {(r[code], r[kind].lower(), r[first_day].date()) for r in data_rows(HISTORY)}
    code, first_day, kind = (
        column(in_year, h)
        for h in ("Local authority area code", "Inspection/Visit date", "Inspection/Visit type")
    )
    found |= {(r[code], r[kind].lower(), r[first_day].date()) for r in data_rows(IN_YEAR)}
    return found


def cited_events():
    return Event.objects.filter(event_sources__source=release())


# The real file -------------------------------------------------------------------------


def test_every_inspection_and_visit_in_the_file_is_one_event_citing_the_release(imported):
    visits = distinct_visits()
    assert cited_events().count() == len(visits)
    by_type = {
        "ilacs standard inspection": {
            "kind": EventKind.INSPECTION,
            "inspection_type": InspectionType.STANDARD,
        },
        "ilacs short inspection": {
            "kind": EventKind.INSPECTION,
            "inspection_type": InspectionType.SHORT,
        },
        "ilacs focused visit": {"kind": EventKind.FOCUSED_VISIT},
        "la monitoring visit": {"kind": EventKind.MONITORING_VISIT},
    }
    for name, fields in by_type.items():
        expected = sum(1 for visit in visits if visit[1] == name)
        assert cited_events().filter(**fields).count() == expected, name
    assert "Events: " in imported and "Judgements: " in imported


def test_the_release_is_cited_with_its_title_publisher_date_page_and_licence(imported):
    source = release()
    assert source.title == "Local authority inspection outcomes as at 31 March 2025"
    assert source.publisher == "Ofsted"
    assert source.published_on == datetime.date(2025, 9, 25)
    assert source.published_on_precision == DatePrecision.DAY
    assert source.url == RELEASE_URL
    assert source.licence == OGL
    created = cited_events().exclude(slug__in=["2019-ilacs-inspection", "2023-ilacs-inspection"])
    assert created.count() == len(distinct_visits()) - 2
    judgements = Judgement.objects.filter(event__in=created)
    assert judgements.exists() and not judgements.exclude(source=source).exists()


def test_west_sussex_inspections_from_the_articles_stay_one_event_each(imported):
    west_sussex = LocalAuthority.objects.get(slug="west-sussex")
    assert LocalAuthority.objects.filter(ons_code=WEST_SUSSEX).get() == west_sussex
    for year, fixture_slug in ((2019, "2019-ilacs-inspection"), (2023, "2023-ilacs-inspection")):
        inspections = west_sussex.events.filter(kind=EventKind.INSPECTION, start_date__year=year)
        assert [e.slug for e in inspections] == [fixture_slug]
        event = inspections.get()
        titles = {s.title for s in event.sources.all()}
        assert release().title in titles and len(titles) > 1
        areas = list(event.judgements.values_list("area", flat=True))
        assert len(areas) == len(set(areas))


def test_the_events_own_dates_stay_and_the_release_link_gives_its_own(imported):
    event = Event.objects.get(slug="2023-ilacs-inspection")
    # As the seed data has them, from the report (13 to 24 March 2023), not the release.
    assert (event.start_date, event.end_date) == (
        datetime.date(2023, 3, 13),
        datetime.date(2023, 3, 24),
    )
    assert event.start_date_precision == DatePrecision.DAY
    link = EventSource.objects.get(event=event, source=release())
    assert "13 March 2023" in link.contribution
    assert "11 May 2023" in link.contribution


def test_west_sussex_gains_its_focused_visit_on_care_leavers(imported):
    visit = Event.objects.get(
        authority__slug="west-sussex",
        kind=EventKind.FOCUSED_VISIT,
        status=EventStatus.HAPPENED,
    )
    assert visit.start_date == datetime.date(2024, 7, 24)
    assert visit.published_on == datetime.date(2024, 8, 23)
    assert visit.title == "Focused visit: care leavers"
    assert visit.slug == "west-sussex-focused-visit-2024-07-24"
    assert list(visit.sources.all()) == [release()]
    assert not visit.judgements.exists()
    # The articles' visit planned for the spring is a plan, kept as it was.
    assert Event.objects.get(slug="ofsted-focused-visit-spring-2024").status == EventStatus.PLANNED


def test_blank_cells_are_not_judged_and_care_leavers_were_judged_with_children_in_care(imported):
    history = SHEETS[HISTORY]
    code, first_day = (
        column(history, "Local authority area code"),
        column(history, "Inspection date"),
    )
    care_leavers = column(history, CARE_LEAVERS)
    row = next(r for r in data_rows(HISTORY) if r[first_day].year == 2019 and not r[care_leavers])
    event = Event.objects.get(
        authority__ons_code=row[code], kind=EventKind.INSPECTION, start_date=row[first_day].date()
    )
    areas = set(event.judgements.values_list("area", flat=True))
    assert JudgementArea.CARE_LEAVERS not in areas
    assert JudgementArea.CHILDREN_IN_CARE not in areas
    assert JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS in areas


def test_no_imported_judgement_splits_children_in_care_before_2023_or_joins_them_after(imported):
    from_release = Judgement.objects.filter(source=release())
    split = (JudgementArea.CHILDREN_IN_CARE, JudgementArea.CARE_LEAVERS)
    before = from_release.filter(event__start_date__lt=datetime.date(2023, 1, 1))
    after = from_release.filter(event__start_date__gte=datetime.date(2023, 1, 1))
    assert before.exists() and after.exists()
    assert not before.filter(area__in=split).exists()
    assert not after.filter(area=JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS).exists()


def test_an_inspection_has_the_grades_the_file_gives_it(imported):
    latest = SHEETS[LATEST]
    code, first_day = column(latest, "Local authority area code"), column(latest, "Inspection date")
    overall = column(latest, OVERALL)
    for row in data_rows(LATEST)[:20]:
        event = Event.objects.get(
            authority__ons_code=row[code], kind=EventKind.INSPECTION, start_date=row[first_day]
        )
        assert event.judgements.get(area=JudgementArea.OVERALL).get_grade_display() == row[overall]


def test_councils_that_no_longer_exist_keep_their_inspections(imported):
    history = SHEETS[HISTORY]
    status, name = (
        column(history, "Local authority status"),
        column(history, "Local authority name"),
    )
    gone = {r[name] for r in data_rows(HISTORY) if r[status] == "No longer exists"}
    assert "Bournemouth" in gone
    for council in gone:
        authority = LocalAuthority.objects.get(name=council)
        assert authority.get_status_display() == "No longer exists"
        assert authority.events.filter(kind=EventKind.INSPECTION).exists()


def test_imported_events_have_readable_fixed_addresses(imported):
    assert Event.objects.filter(slug__startswith="kent-ilacs-").exists()
    assert Event.objects.filter(
        slug__startswith="bournemouth-christchurch-and-poole-ilacs-"
    ).exists()
    for event in cited_events().exclude(authority__slug="west-sussex")[:50]:
        assert event.slug.endswith(event.start_date.isoformat())
        assert event.slug.startswith(event.authority.slug + "-")


# Idempotence and newer files -------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(imported):
    before = table_contents()
    output = run(OUTCOMES)
    assert table_contents() == before
    for line in output.splitlines():
        assert " 0 added, 0 updated," in line


def newer_release(sheets):
    """The 2025 file as if republished a year later, with one new inspection for Kent."""
    cover = sheets["Cover"]
    cover[0][0] = "Local authority inspection outcomes as at 31 March 2026"
    for row in cover:
        if row[0] == "Published on:":
            row[1] = datetime.date(2026, 9, 24)
    kent = next(r for r in sheets[HISTORY][3:] if r[2] == "Kent")
    new = list(kent)
    history = sheets[HISTORY]
    new[column(history, "Inspection date")] = datetime.date(2025, 6, 9)
    new[column(history, "Publication date")] = datetime.date(2025, 7, 25)
    new[column(history, "Inspection type")] = "ILACS Short Inspection"
    for heading in (OVERALL, IN_CARE, CARE_LEAVERS):
        new[column(history, heading)] = "Good"
    history.append(new)
    return sheets


def test_a_newer_file_adds_its_new_inspection_and_cites_the_newer_release(
    imported, sheets, tmp_path
):
    events = Event.objects.count()
    output = run(write_ods(tmp_path / "2026.ods", newer_release(sheets)))
    assert Event.objects.count() == events + 1
    kent = Event.objects.get(slug="kent-ilacs-short-inspection-2025-06-09")
    assert kent.judgements.get(area=JudgementArea.CARE_LEAVERS).grade == Grade.GOOD
    newer = Source.objects.get(title__endswith="31 March 2026")
    assert newer.url.endswith("as-at-31-march-2026")
    assert list(kent.sources.all()) == [newer]
    # Events in both releases cite both.
    both = Event.objects.get(slug="west-sussex-focused-visit-2024-07-24")
    assert both.sources.count() == 2
    assert "Events: 1 added" in output


def test_a_newer_file_corrects_a_grade_an_earlier_release_gave_and_says_so(
    imported, sheets, tmp_path
):
    sheets = newer_release(sheets)
    history = sheets[HISTORY]
    row = next(r for r in history[3:] if r[2] == "Barking and Dagenham")
    row[column(history, OVERALL)] = "Outstanding"
    first_day = row[column(history, "Inspection date")].date()
    output = run(write_ods(tmp_path / "2026.ods", sheets))
    event = Event.objects.get(authority__name="Barking and Dagenham", start_date=first_day)
    overall = event.judgements.get(area=JudgementArea.OVERALL)
    assert overall.grade == Grade.OUTSTANDING
    assert overall.source.title.endswith("31 March 2026")
    assert "Judgements: " in output and "corrected to Outstanding" in output


# Refusals --------------------------------------------------------------------------------


def refused(path) -> str:
    """The one sentence the command refuses with (manage.py prints it without a traceback)."""
    with pytest.raises(CommandError) as refusal:
        run(path)
    message = str(refusal.value)
    assert message.endswith(".") and "\n" not in message
    return message


def change(sheets, sheet, name, heading, value):
    rows = sheets[sheet]
    row = next(r for r in rows[3:] if r[column(rows, "Local authority name")] == name)
    row[column(rows, heading)] = value
    return sheets


def drop_column(sheets, sheet, heading):
    index = column(sheets[sheet], heading)
    for row in sheets[sheet]:
        del row[index]
    return sheets


WRONG_FILES = {
    "a CSV file": (
        lambda s, tmp: PROVIDERS,
        "Provider_data_lookup.csv is not a spreadsheet that can be read",
    ),
    "another spreadsheet": (
        lambda s, tmp: write_ods(tmp / "budget.ods", {"Budget": [["Item", "Cost"], ["Tea", 3]]}),
        "budget.ods has no sheet called 'Cover'",
    ),
    "a missing sheet": (
        lambda s, tmp: write_ods(tmp / "x.ods", {k: v for k, v in s.items() if k != IN_YEAR}),
        "x.ods has no sheet called 'In-year_inspections'",
    ),
    "a missing column": (
        lambda s, tmp: write_ods(tmp / "x.ods", drop_column(s, IN_YEAR, "Visit Theme")),
        "The sheet 'In-year_inspections' has no column 'Visit Theme'.",
    ),
    "a grade not on Ofsted's scale": (
        lambda s, tmp: write_ods(tmp / "x.ods", change(s, HISTORY, "Kent", OVERALL, "Very good")),
        "'Very good' is not a grade on Ofsted's scale",
    ),
    "an unknown type of visit": (
        lambda s, tmp: write_ods(
            tmp / "x.ods",
            change(s, IN_YEAR, "Barnsley", "Inspection/Visit type", "Joint targeted inspection"),
        ),
        "'Joint targeted inspection' is not an inspection or visit type",
    ),
    "a date that is not a date": (
        lambda s, tmp: write_ods(
            tmp / "x.ods", change(s, HISTORY, "Kent", "Inspection date", "next spring")
        ),
        "the inspection date 'next spring' is not a date",
    ),
    "care leavers judged apart before 2023": (
        lambda s, tmp: write_ods(tmp / "x.ods", change(s, HISTORY, "Barnet", CARE_LEAVERS, "Good")),
        "before 1 January 2023",
    ),
    "two sheets that disagree": (
        lambda s, tmp: write_ods(
            tmp / "x.ods", change(s, LATEST, "West Sussex", OVERALL, "Outstanding")
        ),
        "disagree on West Sussex's ILACS standard inspection of 13 March 2023",
    ),
    "a cover sheet without the release's title": (
        lambda s, tmp: write_ods(
            tmp / "x.ods",
            s | {"Cover": [["Outcomes"], ["Published on:", datetime.date(2025, 9, 25)]]},
        ),
        "does not give the title",
    ),
}


@pytest.mark.parametrize("case", WRONG_FILES)
def test_a_wrong_file_is_refused_with_one_sentence_and_nothing_written(
    case, councils, sheets, tmp_path
):
    make, message = WRONG_FILES[case]
    before = table_contents()
    assert message in refused(make(sheets, tmp_path))
    assert table_contents() == before


def test_a_grade_contradicting_the_articles_is_refused_naming_both(councils, sheets, tmp_path):
    path = write_ods(tmp_path / "x.ods", change(sheets, HISTORY, "West Sussex", OVERALL, "Good"))
    # The 2019 inspection: the first West Sussex row of the history.
    before = table_contents()
    err = refused(path)
    assert "West Sussex's ILACS standard inspection of 25 February 2019" in err
    assert "'Good'" in err and "'Inadequate'" in err
    article = Judgement.objects.get(event__slug="2019-ilacs-inspection", area="overall").source
    assert article.title in err
    assert table_contents() == before


def test_an_older_release_cannot_overwrite_a_newer_ones_grade(imported, sheets, tmp_path):
    sheets = newer_release(sheets)
    history = sheets[HISTORY]
    row = next(r for r in history[3:] if r[2] == "Barking and Dagenham")
    row[column(history, OVERALL)] = "Outstanding"
    run(write_ods(tmp_path / "2026.ods", sheets))
    before = table_contents()
    with pytest.raises(
        CommandError, match="from 'Local authority inspection outcomes as at 31 March 2026'"
    ):
        run(OUTCOMES)
    assert table_contents() == before


def test_statistics_for_councils_not_loaded_are_refused(seed_data):
    before = table_contents()
    err = refused(OUTCOMES)
    assert "load the councils first" in err
    assert table_contents() == before


def test_manage_py_refuses_a_wrong_file_without_a_traceback(tmp_path):
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run(
        [sys.executable, str(manage), "import_ofsted_outcomes", str(PROVIDERS)],
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: Provider_data_lookup.csv is not a spreadsheet")
    assert "Traceback" not in result.stderr


def test_the_committed_files_are_unchanged_copies_of_ofsteds_and_the_dfes():
    shared = Path(settings.BASE_DIR).parent / "shared" / "ofsted"
    require(shared.is_dir(), f"Ofsted's files are not at {shared}")
    for committed, original in (
        (OUTCOMES, shared / "outcomes" / OUTCOMES.name),
        (PROVIDERS, shared / "lookup" / PROVIDERS.name),
        (NEIGHBOURS, shared / "lookup" / NEIGHBOURS.name),
    ):
        assert committed.read_bytes() == original.read_bytes(), committed.name
