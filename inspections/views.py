"""Public pages: thin views over the QuerySets, the filter form and the summaries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from ofsted_tracker.http_cache import cached_public_page

from .authorities import chosen_authority
from .charts import grade_chart
from .filters import TimelineFilters
from .models import Event, Judgement, Source, Theme
from .pagination import paginate
from .summaries import event_summary_context, history_summary_context

# A council has about 15 events in 15 years: one page. All councils together are many.
TIMELINE_PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_safe
@cached_public_page
def timeline(request: HtmxHttpRequest) -> HttpResponse:
    filters = TimelineFilters(request.GET)
    pagination = paginate(request, filters.events(), TIMELINE_PAGE_SIZE)
    chosen = filters.active.get("authority")
    context = {
        "filters": filters,
        "events": pagination.page.object_list,
        "pagination": pagination,
        "councils": [chosen.name] if chosen else filters.council_names(),
        "query_string": request.GET.urlencode(),
    }
    if request.htmx:
        # The fragment is the results alone: no chart to draw.
        return render(request, "inspections/timeline.html#results", context)
    chart_authority = filters.chart_authority()
    context["chart_authority"] = chart_authority
    context["chart"] = grade_chart(list(Judgement.objects.overall_series(chart_authority)))
    return render(request, "inspections/timeline.html", context)


@require_safe
@cached_public_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    previous, following = event.neighbours()
    context = {
        "event": event,
        "previous": previous,
        "next": following,
        "findings_by_kind": event.findings.all().by_kind_and_theme(),
    }
    return render(request, "inspections/event_detail.html", context)


@require_safe
@cached_public_page
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/theme_list.html", {"themes": Theme.objects.with_counts()})


@require_safe
@cached_public_page
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    authority = chosen_authority(request)
    context = {
        "theme": theme,
        "events": Event.objects.for_theme_page(theme, authority),
        "authority": authority,
    }
    return render(request, "inspections/theme_detail.html", context)


@require_safe
@cached_public_page
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.for_sources_page()
    return render(request, "inspections/source_list.html", {"sources": sources})


@require_safe
@cached_public_page
def history_summary(request: HttpRequest) -> HttpResponse:
    context = history_summary_context(chosen_authority(request))
    return render(request, "inspections/summary.html", context)


@require_safe
@cached_public_page
def event_summary(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    return render(request, "inspections/summary_event.html", event_summary_context(event))
