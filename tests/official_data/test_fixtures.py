"""The seed data: from the five articles and Ofsted's reports, cited, safe to load twice."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from inspections.choices import (
    DatePrecision,
    EventKind,
    FindingKind,
    Framework,
    Grade,
    JudgementArea,
    SourceKind,
)
from inspections.models import (
    Event,
    EventSource,
    Figure,
    Finding,
    Judgement,
    Source,
    Statement,
    Theme,
)
from inspections.official_data.report_reader import read_report
from tests.shared_files import SEEDS, report_for_seed_file

from ..conftest import require
from ..html import page_of


@pytest.fixture
def seeds():
    """The source articles, which sit beside the repository in ../shared/seeds."""
    require(SEEDS.is_dir(), f"the source articles are not at {SEEDS} (set OFSTED_SEEDS_DIR)")
    return SEEDS


pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "west_sussex.json"
# Every Ofsted report the fixture cites, by its seed_file.
REPORT_SEED_FILES = sorted(
    record["fields"]["seed_file"]
    for record in json.loads(FIXTURE.read_text())
    if record["model"] == "inspections.source" and record["fields"]["kind"] == SourceKind.REPORT
)
OFSTED_PAGE = "https://reports.ofsted.gov.uk/provider/44/80578"
ARTICLE_KINDS = {SourceKind.NEWS, SourceKind.PRESS_RELEASE, SourceKind.BRIEFING}


def table_contents():
    """Every row of every inspections table, as data, to compare two loads."""
    out = io.StringIO()
    call_command("dumpdata", "inspections", format="json", stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], r["pk"]))


def test_the_fixtures_load_into_an_empty_database(seed_data):
    assert Event.objects.count() > 10
    assert Source.objects.filter(kind__in=ARTICLE_KINDS).count() == 5
    assert Source.objects.filter(kind=SourceKind.REPORT).count() == 3
    assert Source.objects.filter(kind=SourceKind.STATISTICS).count() == 1
    assert Judgement.objects.count() > 0
    assert Finding.objects.count() > 30
    assert Statement.objects.count() > 5
    assert Figure.objects.count() > 5


def test_loading_the_fixtures_twice_changes_nothing(seed_data):
    first = table_contents()
    call_command("loaddata", "west_sussex", verbosity=0)
    assert table_contents() == first


def test_the_2019_inspection_was_judged_inadequate_in_every_area(seed_data):
    inspection = Event.objects.get(kind=EventKind.INSPECTION, start_date__year=2019)
    grades = dict(inspection.judgements.values_list("area", "grade"))
    assert JudgementArea.OVERALL in grades
    assert len(grades) >= 4
    assert set(grades.values()) == {Grade.INADEQUATE}


def test_the_2023_inspection_requires_improvement_with_good_care_and_leadership(seed_data):
    inspection = Event.objects.get(kind=EventKind.INSPECTION, start_date__year=2023)
    grades = dict(inspection.judgements.values_list("area", "grade"))
    assert grades == {
        JudgementArea.OVERALL: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.CHILDREN_IN_CARE: Grade.GOOD,
        JudgementArea.LEADERSHIP: Grade.GOOD,
        JudgementArea.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
        JudgementArea.CARE_LEAVERS: Grade.REQUIRES_IMPROVEMENT,
    }


def test_the_lifted_threat_of_an_independent_trust_is_on_the_timeline_to_the_year(
    client, seed_data
):
    """The source says only "last year", in an article placed in September 2023."""
    event = Event.objects.get(kind=EventKind.INTERVENTION_DECISION)
    assert event.event_sources.get().source.seed_file.startswith("001_")
    item = page_of(client.get("/")).by_id("results").section(event.title)
    assert item.startswith(f"about 2022 {event.get_kind_display()} "), "the date, then the kind"
    detail = page_of(client.get(event.get_absolute_url()))
    assert "so the year is taken to be 2022" in detail
    assert "Neither the month nor who removed the threat is given" in detail


def test_care_leavers_can_be_followed_from_the_earlier_inspection_to_2023(client, seed_data):
    theme = Theme.objects.get(slug="care-leavers")
    years = sorted({f.event.start_date.year for f in theme.findings.select_related("event")})
    assert len(years) >= 3, "care leavers should appear in at least three years"
    assert years[0] < 2019 and years[-1] == 2023
    earlier = Event.objects.filter(kind=EventKind.INSPECTION).earliest("start_date")
    shown = page_of(client.get(theme.get_absolute_url()))
    assert "38%" in shown.section(earlier.title), "the earlier inspection's NEET figure"


def test_every_fact_cites_a_source_that_exists(seed_data):
    for model in (Judgement, Finding, Figure, Statement):
        assert not model.objects.filter(source__isnull=True).exists()
    uncited = Event.objects.exclude(pk__in=EventSource.objects.values("event"))
    assert list(uncited) == []


def test_every_source_is_a_seed_article_or_one_of_ofsteds_own_documents(seed_data, seeds):
    seed_files = {path.name for path in seeds.glob("*.txt")}
    articles = Source.objects.filter(kind__in=ARTICLE_KINDS)
    assert set(articles.values_list("seed_file", flat=True)) == seed_files
    ofsted = Source.objects.exclude(kind__in=ARTICLE_KINDS)
    assert set(ofsted.values_list("publisher", flat=True)) == {"Ofsted"}
    assert all(source.published_on and source.url for source in ofsted)
    reports = Source.objects.filter(kind=SourceKind.REPORT)
    assert {source.url for source in reports} == {OFSTED_PAGE}
    assert sorted(source.seed_file for source in reports) == [
        "ofsted-report-80578-2016-01-20",
        "ofsted-report-80578-2019-05-08",
        "ofsted-report-80578-2023-05-11",
    ]


def test_the_sif_inspection_has_the_reports_exact_dates_and_says_what_the_article_said(
    seed_data,
):
    """The article said "last October and November", no year; the report gives the days."""
    inspection = Event.objects.get(kind=EventKind.INSPECTION, framework=Framework.SIF)
    assert (inspection.start_date, inspection.end_date, inspection.published_on) == (
        datetime.date(2015, 10, 26),
        datetime.date(2015, 11, 19),
        datetime.date(2016, 1, 20),
    )
    assert {
        inspection.start_date_precision,
        inspection.end_date_precision,
        inspection.published_on_precision,
    } == {DatePrecision.DAY}
    assert "Ofsted’s report gives the dates" in inspection.date_note
    assert "“last October and November”, without the year" in inspection.date_note
    kinds = set(inspection.event_sources.values_list("source__kind", flat=True))
    assert kinds == {SourceKind.NEWS, SourceKind.REPORT}
    assert all(link.contribution for link in inspection.event_sources.all())


def test_the_sif_inspection_has_every_judgement_and_the_safeguarding_board_review(seed_data):
    inspection = Event.objects.get(kind=EventKind.INSPECTION, framework=Framework.SIF)
    grades = dict(inspection.judgements.values_list("area", "grade"))
    sif_areas = [
        JudgementArea.OVERALL,
        JudgementArea.SIF_HELP_AND_PROTECTION,
        JudgementArea.SIF_LOOKED_AFTER,
        JudgementArea.SIF_ADOPTION,
        JudgementArea.SIF_CARE_LEAVERS,
        JudgementArea.SIF_LEADERSHIP,
        JudgementArea.SIF_LSCB,
    ]
    assert grades == dict.fromkeys(sif_areas, Grade.REQUIRES_IMPROVEMENT)
    assert inspection.lead_inspector == "Mike Ferguson"


def test_each_inspection_on_an_ofsted_report_names_its_lead_inspector(seed_data):
    leads = dict(
        Event.objects.filter(event_sources__source__kind=SourceKind.REPORT).values_list(
            "start_date__year", "lead_inspector"
        )
    )
    assert leads == {2015: "Mike Ferguson", 2019: "Linda Steele", 2023: "Maire Atherton"}


@pytest.mark.parametrize("seed_file", REPORT_SEED_FILES)
def test_the_seed_data_says_what_the_reader_reads_in_each_report(seed_data, seed_file):
    """Each report's dates, judgements, lead inspector and recommendations, word for word."""
    reading = read_report(report_for_seed_file(seed_file))
    source = Source.objects.get(seed_file=seed_file)
    inspection = Event.objects.get(event_sources__source=source)
    assert (inspection.start_date, inspection.end_date) == (reading.start_date, reading.end_date)
    assert inspection.framework == reading.framework
    assert inspection.inspection_type == reading.inspection_type
    assert inspection.lead_inspector == reading.lead_inspector
    assert dict(inspection.judgements.values_list("area", "grade")) == reading.judgements
    improvements = source.findings.filter(event=inspection, kind=FindingKind.IMPROVEMENT)
    assert tuple(improvements.values_list("text", flat=True)) == reading.recommendations
    if reading.published:
        assert source.published_on == inspection.published_on == reading.published


def test_quoted_statements_appear_in_their_article(seed_data, seeds):
    """A statement's words are the article's words, not a paraphrase."""
    for statement in Statement.objects.select_related("source"):
        article = " ".join((seeds / statement.source.seed_file).read_text().split())
        if statement.text.startswith("(Reported)"):
            continue
        for paragraph in statement.text.split("\n\n"):
            words = " ".join(paragraph.split())
            assert words in article, f"{statement.person}: {words[:60]!r} not in the article"


def test_every_record_in_the_fixture_file_is_an_inspections_model():
    records = json.loads(FIXTURE.read_text())
    labels = {record["model"] for record in records}
    assert labels <= {
        f"inspections.{m._meta.model_name}" for m in apps.get_app_config("inspections").get_models()
    }


def test_the_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
