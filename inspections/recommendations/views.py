"""A council's recommendations followed through: the page (printable as a scrutiny pack)
and its CSV. Thin views over inspections/recommendations/concerns.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached_public_page

from ..councils.chosen import chosen_council
from ..councils.comparisons import OGL
from ..models import LocalAuthority, Source
from ..web.csv import csv_response
from .concerns import STATUS_MEANINGS, ConcernReading, cites_ofsted, read_concerns

CSV_COLUMNS = [
    "Concern",
    "Item",
    "Raised by",
    "Date raised (YYYY-MM-DD)",
    "Theme",
    "Recommendation",
    "Raised again",
    "Item status",
    "Item status date",
    "Latest source",
    "Linked earlier items",
    "Linked later items",
    "Concern status now",
    "Concern recurring",
    "Sources",
]


@require_safe
@cached_public_page
def council_recommendations(request: HttpRequest, slug: str) -> HttpResponse:
    council = chosen_council(slug)
    reading = read_concerns(council)
    context = {
        "council": council,
        "reading": reading,
        "meanings": STATUS_MEANINGS,
        "sources": [(source, "") for source in reading.sources],
        "ogl": OGL if cites_ofsted(reading.sources) else "",
        "authority_names": council.name,
        "produced_on": timezone.localdate(),
    }
    return render(request, "inspections/recommendations/council.html", context)


@require_safe
@cached_public_page
def council_recommendations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    council = chosen_council(slug)
    reading = read_concerns(council)
    return csv_response(CSV_COLUMNS, csv_rows(reading), filename(council))


def filename(council: LocalAuthority) -> str:
    return f"{council.slug}-recommendations-{timezone.localdate().isoformat()}.csv"


def source_text(source: Source) -> str:
    parts = [source.title, source.publisher, source.date_display if source.published_on else ""]
    text = ", ".join(part for part in parts if part)
    licence = source.licence or (OGL if cites_ofsted([source]) else "")
    return f"{text}. {licence}" if licence else text


def csv_rows(reading: ConcernReading) -> list[list[str]]:
    """One row per tracked item, concern by concern, each chain in date order."""
    references = {
        entry.item.pk: entry.reference for concern in reading.concerns for entry in concern.chain
    }
    rows = []
    for concern in reading.concerns:
        now = concern.current
        for entry in concern.chain:
            item = entry.item
            latest = entry.own_status
            cited = [item.source, *(link.source for link, _ in entry.links_from)]
            cited += [step.source for step in entry.updates]
            rows.append(
                [
                    str(concern.number),
                    entry.reference,
                    f"{item.event.title} ({item.event.dates_display})",
                    item.event.start_date.isoformat(),
                    item.theme.name,
                    item.text,
                    "yes" if entry.raised_again else "no",
                    latest.status.label if latest else "Raised",
                    (latest.on if latest else item.event.start_date).isoformat(),
                    (latest.source if latest else item.source).title,
                    "; ".join(references[link.earlier_id] for link, _ in entry.links_from),
                    "; ".join(references[link.later_id] for link in entry.links_to),
                    f"{now.status.label}, {now.on_display}",
                    "yes" if concern.recurring else "no",
                    "; ".join(source_text(source) for source in dict.fromkeys(cited)),
                ]
            )
    return rows
