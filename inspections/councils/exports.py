"""A council beside its statistical neighbours as data: CSV for spreadsheets, JSON for
other programs. The same figures as the page (inspections/councils/comparisons.py)."""

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from ..models import Source
from ..web.csv import csv_response
from .comparisons import (
    NEIGHBOURS_SOURCE,
    OGL,
    Climb,
    ComparedInspection,
    Comparison,
    ComparisonHistoryRow,
)
from .grades import COMBINED, TABLE_AREAS, CouncilGrades, GroupGrades

FRAMEWORK_NOTE = (
    "Before January 2023 Ofsted judged the experiences and progress of children in care "
    "and care leavers as one: a council last inspected before then has that combined "
    "judgement instead of the two separate ones. The region and England figures count it "
    "in both the children in care and the care leavers columns."
)
CLIMB_NOTE = (
    "Months from the first day on site of an ILACS inspection judged inadequate overall to "
    "the first day on site of the first later inspection judged better; consecutive "
    "inadequate judgements are one spell, counted from the first."
)


def _filename(comparison: Comparison, extension: str) -> str:
    today = timezone.localdate().isoformat()
    return f"{comparison.council.authority.slug}-beside-its-neighbours-{today}.{extension}"


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _source_text(source: Source) -> str:
    return f"{source.label}. {source.licence}" if source.licence else source.label


def _climb_text(climb: Climb) -> str:
    start = climb.inadequate.start.isoformat()
    if climb.better is None:
        return f"inadequate from {start}: not yet"
    return (
        f"inadequate from {start} to {climb.better.start.isoformat()} "
        f"({climb.better.grade.short_label.lower()}): {climb.months} months"
    )


def _grade_cells(council: CouncilGrades) -> list[str]:
    cells = [council.grades[a].label if a in council.grades else "" for a in TABLE_AREAS]
    combined = council.grades.get(COMBINED)
    return [*cells, combined.label if combined else ""]


def _group_cells(group: GroupGrades) -> list[str]:
    cells = [
        f"{cell.count} of {cell.judged} good or outstanding ({cell.percent}%)"
        if cell.judged
        else ""
        for cell in group.cells
    ]
    return [*cells, ""]


def as_csv(request: HttpRequest, comparison: Comparison) -> HttpResponse:
    sources = {source.pk: source for source in comparison.sources}
    years = comparison.years
    header = [
        "Compared as",
        "Council or group",
        "Region",
        "Last ILACS inspection, first day on site (YYYY-MM-DD)",
        *(area.label for area in TABLE_AREAS),
        f"{COMBINED.label} (judged together before 2023)",
        *(f"ILACS inspections in {year}" for year in years),
        "Time to climb out of inadequate",
        "Web page",
        "Sources",
    ]
    rows = []
    relations = [relation for relation, _ in comparison.relations]
    for relation, row in zip(relations, comparison.history, strict=True):
        council = row.council
        climbs = [c for c in comparison.climbs if c.council is council]
        rows.append(
            [
                relation,
                council.name,
                council.authority.get_region_display(),
                council.inspected_on.isoformat() if council.inspected_on else "",
                *_grade_cells(council),
                *("; ".join(_inspection_text(i) for i in year) for year in row.years),
                "; ".join(_climb_text(c) for c in climbs),
                request.build_absolute_uri(council.authority.get_absolute_url()),
                "; ".join(_source_text(sources[pk]) for pk in sorted(row.source_ids)),
            ]
        )
    summaries = {summary.label: summary for summary in comparison.climb_summaries}
    group_sources = [_source_text(source) for source in comparison.sources]
    if others := comparison.citations.others:
        group_sources.append(f"and {others} more, each for one council's grades")
    for group in comparison.groups:
        summary = summaries.get(group.label)
        climbed = (
            f"median {summary.median:g} months over {len(summary.months)} spells; "
            f"{summary.not_yet} not yet"
            if summary and summary.months
            else ""
        )
        rows.append(
            [
                "Region" if group.label != "England" else "England",
                f"{group.label}: all {group.councils} councils",
                "",
                "",
                *_group_cells(group),
                *("" for _ in years),
                climbed,
                "",
                "; ".join(group_sources),
            ]
        )
    return csv_response(header, rows, _filename(comparison, "csv"))


def _inspection_text(inspection: ComparedInspection) -> str:
    return f"{inspection.grade.label} ({inspection.when})"


def _inspection_json(request: HttpRequest, inspection: ComparedInspection) -> dict:
    return {
        "first_day_on_site": inspection.start.isoformat(),
        "date_precision": inspection.precision,
        "overall_effectiveness": inspection.grade.value,
        "url": request.build_absolute_uri(inspection.url),
    }


def _council_json(
    request: HttpRequest, row: ComparisonHistoryRow, climbs: list[Climb], references: dict[int, str]
) -> dict:
    council = row.council
    return {
        "name": council.name,
        "slug": council.authority.slug,
        "region": council.authority.get_region_display(),
        "url": request.build_absolute_uri(council.authority.get_absolute_url()),
        "latest_ilacs_inspection": {
            "first_day_on_site": council.inspected_on.isoformat(),
            "date_precision": council.inspected_precision,
            "url": request.build_absolute_uri(council.inspection_url),
            "judgements": {area: grade.value for area, grade in council.grades.items()},
            "children_in_care_and_care_leavers_judged_together": council.judged_together,
        }
        if council.inspected_on
        else None,
        "ilacs_inspections": [_inspection_json(request, i) for i in row.inspections],
        "inadequate_spells": [
            {
                "judged_inadequate": climb.inadequate.start.isoformat(),
                "judged_inadequate_again": climb.inadequate_again,
                "judged_better": climb.better.start.isoformat() if climb.better else None,
                "grade_then": climb.better.grade.value if climb.better else None,
                "months": climb.months,
            }
            for climb in climbs
        ],
        "sources": sorted(references[pk] for pk in row.source_ids),
    }


def as_json(request: HttpRequest, comparison: Comparison) -> HttpResponse:
    references = {source.pk: source.seed_file for source in comparison.sources}
    councils = [
        _council_json(
            request, row, [c for c in comparison.climbs if c.council is row.council], references
        )
        for row in comparison.history
    ]
    for entry, neighbour in zip(councils[1:], comparison.neighbours, strict=True):
        entry["rank"] = neighbour.rank
        entry["closeness"] = neighbour.closeness.value
    summaries = {summary.label: summary for summary in comparison.climb_summaries}
    data = {
        "title": f"{comparison.council.name} beside its statistical neighbours",
        "generated_on": timezone.localdate().isoformat(),
        "page": request.build_absolute_uri(
            reverse("inspections:council_compare", args=[comparison.council.authority.slug])
        ),
        "council": councils[0],
        "neighbours": councils[1:],
        "groups": [
            {
                "name": group.label,
                "councils": group.councils,
                "good_or_outstanding": {
                    area.value: {"councils": cell.count, "of": cell.judged}
                    for area, cell in zip(TABLE_AREAS, group.cells, strict=True)
                },
                "climbs_out_of_inadequate": {
                    "median_months": summaries[group.label].median,
                    "spells_ended": len(summaries[group.label].months),
                    "not_yet": summaries[group.label].not_yet,
                }
                if group.label in summaries
                else None,
            }
            for group in comparison.groups
        ],
        "notes": {"framework": FRAMEWORK_NOTE, "climb_out": CLIMB_NOTE},
        "neighbours_source": f"{NEIGHBOURS_SOURCE} {OGL}",
        "sources": {
            source.seed_file: {
                "title": source.title,
                "label": source.label,
                "publisher": source.publisher,
                "published": source.published_on.isoformat() if source.published_on else None,
                "url": source.url,
                "licence": source.licence,
            }
            for source in comparison.sources
        },
        "other_sources": comparison.citations.others,
    }
    return _download(
        json.dumps(data, ensure_ascii=False, indent=2),
        "application/json; charset=utf-8",
        _filename(comparison, "json"),
    )
