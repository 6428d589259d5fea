"""Public pages: thin views over the QuerySets and the filter form."""

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .authorities import chosen_authority
from .charts import grade_chart, overall_grades
from .choices import FINDING_HEADINGS, FindingKind
from .filters import TimelineFilters
from .models import Event, EventSource, Figure, Finding, Judgement, Source, Statement, Theme
from .pagination import paginate

# A council has about 15 events in 15 years: one page. All councils together are many.
TIMELINE_PAGE_SIZE = 50


@require_safe
def timeline(request: HttpRequest) -> HttpResponse:
    filters = TimelineFilters(request.GET)
    pagination = paginate(request, filters.events(), TIMELINE_PAGE_SIZE)
    chart_authority = filters.chart_authority()
    template = "inspections/timeline.html"
    if request.htmx:
        template += "#results"
    chosen = filters.active.get("authority")
    councils = [chosen.name] if chosen else filters.council_names()
    context = {
        "filters": filters,
        "events": pagination.page.object_list,
        "pagination": pagination,
        "councils": councils,
        "chart": grade_chart(overall_grades(chart_authority)),
        "chart_authority": chart_authority,
        "query_string": request.GET.urlencode(),
    }
    return render(request, template, context)


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    previous, following = event.neighbours()
    context = {
        "event": event,
        "previous": previous,
        "next": following,
        "findings_by_theme": group_findings(event.findings.all()),
    }
    return render(request, "inspections/event_detail.html", context)


def group_findings(findings):
    """{heading: [(theme, [findings])]}: strengths first, themes in the report's order."""
    grouped: dict[str, dict] = {FINDING_HEADINGS[kind]: {} for kind in FindingKind}
    for finding in findings:
        by_theme = grouped[FINDING_HEADINGS[finding.kind]]
        by_theme.setdefault(finding.theme, []).append(finding)
    return {heading: list(themes.items()) for heading, themes in grouped.items() if themes}


@require_safe
def theme_list(request: HttpRequest) -> HttpResponse:
    themes = Theme.objects.annotate(
        finding_count=Count("findings", distinct=True), figure_count=Count("figures", distinct=True)
    ).order_by("name")
    return render(request, "inspections/theme_list.html", {"themes": themes})


@require_safe
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    authority = chosen_authority(request)
    findings = Finding.objects.filter(theme=theme, event__authority=authority)
    findings = findings.select_related("event", "source")
    figures = Figure.objects.filter(theme=theme, event__authority=authority)
    figures = figures.select_related("event", "source")
    events = list(
        Event.objects.with_theme(theme)
        .filter(authority=authority)
        .select_related("authority")
        .chronological()
    )
    findings_by_event: dict[int, list] = {}
    for finding in findings.order_by("order", "pk"):
        findings_by_event.setdefault(finding.event_id, []).append(finding)
    figures_by_event: dict[int, list] = {}
    for figure in figures.order_by("order", "pk"):
        figures_by_event.setdefault(figure.event_id, []).append(figure)
    rows = [
        (event, findings_by_event.get(event.pk, []), figures_by_event.get(event.pk, []))
        for event in events
    ]
    context = {"theme": theme, "rows": rows, "authority": authority}
    return render(request, "inspections/theme_detail.html", context)


@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.order_by("seed_file").prefetch_related(
        Prefetch(
            "event_sources",
            EventSource.objects.select_related("event").order_by("event__start_date"),
        ),
        Prefetch("judgements", Judgement.objects.select_related("event")),
        Prefetch("findings", Finding.objects.select_related("event", "theme")),
        Prefetch("figures", Figure.objects.select_related("event")),
        Prefetch("statements", Statement.objects.select_related("event", "person")),
    )
    return render(request, "inspections/source_list.html", {"sources": sources})
