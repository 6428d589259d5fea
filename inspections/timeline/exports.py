"""The timeline as data: CSV for spreadsheets, JSON for other programs, iCalendar for diaries.

CSV and JSON honour the timeline's filters (the same TimelineFilters form). A filter that
cannot be used gets a 400 that says which and why, rather than a download that quietly
holds something other than what was asked for.
"""

import datetime
import json

import icalendar
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached_public_page

from .. import dates
from ..choices import DatePrecision, JudgementArea
from ..models import Event, EventSource
from ..web.csv import csv_response
from ..web.csv import spreadsheet_safe as spreadsheet_safe
from .filters import TimelineFilters

AREA_COLUMNS = [(area, area.short_label) for area in JudgementArea if area != JudgementArea.OVERALL]


def _filtered_events(request: HttpRequest, queryset):
    """(filters, events) for the query string, or (filters, None) if a filter is unusable."""
    filters = TimelineFilters(request.GET)
    if filters.is_bound and not filters.is_valid():
        return filters, None
    return filters, list(filters.events(queryset))


def _bad_filters(request: HttpRequest, filters: TimelineFilters) -> HttpResponse:
    lines = ["The download was not made, because some filters could not be used:", ""]
    for name, errors in filters.errors.items():
        label = filters.fields[name].label if name in filters.fields else "Filters"
        for error in errors:
            prefix = "" if error.startswith(f"{label}:") else f"{label}: "
            lines.append(f"- {prefix}{error}")
    timeline = request.build_absolute_uri(reverse("inspections:timeline"))
    lines += [
        "",
        "Correct or clear those filters on the timeline, then download again:",
        f"{timeline}?{request.GET.urlencode()}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def _filename(extension: str) -> str:
    return f"ofsted-inspection-history-{timezone.localdate().isoformat()}.{extension}"


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_filename(extension)}"'
    return response


def _active_filters(filters: TimelineFilters) -> dict[str, str]:
    active = {}
    for name, value in filters.active.items():
        active[name] = getattr(value, "slug", value)
    return active


@require_safe
@cached_public_page
def timeline_csv(request: HttpRequest) -> HttpResponse:
    events_with_sources = Event.objects.for_timeline().prefetch_related(
        Prefetch("event_sources", EventSource.objects.select_related("source").order_by("pk"))
    )
    filters, events = _filtered_events(request, events_with_sources)
    if events is None:
        return _bad_filters(request, filters)
    header = [
        "Dates",
        "Council",
        "Kind",
        "Status",
        "What became of the plan",
        "Title",
        "Overall effectiveness",
        *(label for _, label in AREA_COLUMNS),
        "Summary",
        "Published",
        "Date note",
        "Framework",
        "Inspection type",
        "Start, for sorting (YYYY-MM-DD)",
        "End, for sorting (YYYY-MM-DD)",
        "Dates precise to",
        "Sources",
        "Web page",
    ]
    return csv_response(header, (_csv_row(request, event) for event in events), _filename("csv"))


def _csv_row(request: HttpRequest, event: Event) -> list:
    grades = {area: j.get_grade_display() for area, j in event.judgements_by_area.items()}
    return [
        event.dates_display,
        event.authority.name,
        event.get_kind_display(),
        event.get_status_display(),
        event.plan_outcome,
        event.title,
        grades.get(JudgementArea.OVERALL, ""),
        *(grades.get(area, "") for area, _ in AREA_COLUMNS),
        event.summary,
        event.published_display if event.published_on else "",
        event.date_note,
        event.get_framework_display(),
        event.get_inspection_type_display(),
        event.start_date.isoformat(),
        event.end_date.isoformat() if event.end_date else "",
        event.get_start_date_precision_display().lower(),
        "; ".join(link.source.label for link in event.event_sources.all()),
        request.build_absolute_uri(event.get_absolute_url()),
    ]


def _source_json(source) -> dict:
    return {
        "id": source.pk,
        "title": source.title,
        "label": source.label,
        "kind": source.get_kind_display(),
        "publisher": source.publisher,
        "author": source.author,
        "url": source.url,
        "published": source.published_on.isoformat() if source.published_on else None,
        "published_display": source.date_display,
    }


def _plan_json(request: HttpRequest, event: Event) -> dict:
    took_place = event.fulfilled_by
    return {
        "outcome": event.plan_outcome,
        "has_passed": event.plan_has_passed,
        "fulfilled_by": {
            "slug": took_place.slug,
            "title": took_place.title,
            "url": request.build_absolute_uri(took_place.get_absolute_url()),
        }
        if took_place
        else None,
    }


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def _event_json(request: HttpRequest, event: Event) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "kind": event.kind,
        "kind_display": event.get_kind_display(),
        "status": event.status,
        "plan": _plan_json(request, event) if event.is_planned else None,
        "authority": event.authority.name,
        "summary": event.summary,
        "dates": {
            "display": event.dates_display,
            "start": event.start_date.isoformat(),
            "start_precision": event.start_date_precision,
            "end": event.end_date.isoformat() if event.end_date else None,
            "end_precision": event.end_date_precision if event.end_date else None,
            "approximate": event.start_date_approximate or event.end_date_approximate,
            "note": event.date_note,
        },
        "published": {
            "display": event.published_display,
            "date": event.published_on.isoformat(),
            "precision": event.published_on_precision,
        }
        if event.published_on
        else None,
        "framework": event.framework or None,
        "inspection_type": event.inspection_type or None,
        "sequence_number": event.sequence_number,
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "judgements": [
            {
                "area": j.area,
                "area_display": j.get_area_display(),
                "grade": j.grade,
                "grade_display": j.get_grade_display(),
                "source_id": j.source_id,
            }
            for j in event.judgements.all()
        ],
        "findings": [
            {
                "kind": f.kind,
                "kind_display": f.get_kind_display(),
                "theme": f.theme.name,
                "text": f.text,
                "source_id": f.source_id,
            }
            for f in event.findings.all()
        ],
        "figures": [
            {
                "label": f.label,
                "value": _number(f.value),
                "unit": f.unit,
                "qualifier": f.qualifier,
                "display": f.value_display,
                "theme": f.theme.name if f.theme else None,
                "source_id": f.source_id,
            }
            for f in event.figures.all()
        ],
        "statements": [
            {"person": s.person.name, "role": s.role, "text": s.text, "source_id": s.source_id}
            for s in event.statements.all()
        ],
        "sources": [
            _source_json(link.source) | {"contribution": link.contribution}
            for link in event.event_sources.all()
        ],
    }


@require_safe
@cached_public_page
def timeline_json(request: HttpRequest) -> HttpResponse:
    filters, events = _filtered_events(request, Event.objects.for_detail().chronological())
    if events is None:
        return _bad_filters(request, filters)
    data = {
        "title": "Ofsted inspections of children's services",
        "generated_on": timezone.localdate().isoformat(),
        "filters": _active_filters(filters),
        "count": len(events),
        "events": [_event_json(request, event) for event in events],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _attachment(response, "json")


def planned_vevent(request: HttpRequest, event: Event, stamp: datetime.datetime) -> icalendar.Event:
    exact = event.start_date_precision == DatePrecision.DAY and not event.is_approximate
    last_day = event.end_date if (exact and event.end_date) else event.start_date
    when = event.dates_display
    if exact:
        precision = f"The sources give the date as {when}."
    else:
        precision = (
            f"The sources give the date only as {when}. This entry is placed on "
            f"{event.start_date.day} {event.start_date:%B %Y}, the first day of that "
            "period: it is not a confirmed date."
        )
    url = request.build_absolute_uri(event.get_absolute_url())
    description = "\n\n".join(filter(None, [event.summary, precision, event.date_note, url]))
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.slug}@{request.get_host().split(':')[0]}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start_date)
    vevent.add("dtend", last_day + datetime.timedelta(days=1))
    vevent.add("summary", f"Planned: {event.title} ({when})")
    vevent.add("description", description)
    vevent.add("url", url)
    vevent.add("status", "TENTATIVE")
    vevent.add("transp", "TRANSPARENT")
    return vevent


@require_safe
@cached_public_page
def planned_ics(request: HttpRequest) -> HttpResponse:
    """The planned events still ahead (not fulfilled, their stated period not ended) as an
    iCalendar feed (RFC 5545, written by the icalendar library): a calendar of what is
    past would answer nobody's question."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//ofsted-tracker//Ofsted inspection history//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Planned Ofsted visits and reviews")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for event in Event.objects.still_ahead(dates.today()).chronological():
        calendar.add_component(planned_vevent(request, event, stamp))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="planned-ofsted-visits.ics"'
    return response
