"""Public pages: thin views over the QuerySets, the filter form and the summaries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from ofsted_tracker.http_cache import cached_public_page, kept_fragment

from ..councils.chosen import chosen_authority, chosen_council, kept_council
from ..models import Event, LocalAuthority, Source, Theme
from ..web.fragments import drawn_fields
from ..web.slugs import is_slug
from .filters import CouncilTimelineFilters
from .kept_timeline import CouncilHistory, chosen_entries
from .summaries import drawn_history_summary, event_page_sources, event_summary_context

# A council has about 15 events in 15 years: one page. All councils together are many.
TIMELINE_PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_safe
@cached_public_page
def timeline(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    """A council's timeline: at / the site's own council, at /councils/<slug>/ any other."""
    if slug is None and (moved := moved_timeline(request)):
        return moved
    # What the page shows is kept under the data version (inspections/timeline/kept_timeline.py):
    # a filter combination or a page nobody has asked for costs no query.
    council = kept_council(request, slug)
    # Read from the database only for what is not kept yet, and then once for all of it.
    history = CouncilHistory(council)
    filters = CouncilTimelineFilters(request.GET, council=council)
    pagination, entries = chosen_entries(request, filters, history, TIMELINE_PAGE_SIZE)
    context = {
        "council": council,
        "filters": filters,
        "events": entries,
        "pagination": pagination,
        "export_query": export_query(request, council),
        "filter_fields": drawn_fields(request, list(filters)),
        # Lazy: drawn into a kept fragment of the template, so only worked out when it is.
        "chart": SimpleLazyObject(history.chart),
        "standing": SimpleLazyObject(history.standing),
    }
    if request.htmx:
        # htmx swaps the page's content (not the site's header and footer): with filters
        # the results move above the chart, which then is drawn below them.
        return render(request, "inspections/timeline/timeline.html#page", context)
    return render(request, "inspections/timeline/timeline.html", context)


def moved_timeline(request: HttpRequest) -> HttpResponse | None:
    """/?authority=kent, from before each council had a page of its own: its new address,
    with the other filters. None for anything else (a council that does not exist is left
    to the home page, which ignores the parameter)."""
    slug = request.GET.get("authority", "")
    if not is_slug(slug) or not LocalAuthority.objects.filter(slug=slug).exists():
        return None
    query = request.GET.copy()
    query.pop("authority")
    url = reverse("inspections:council", args=[slug])
    return redirect(f"{url}?{query.urlencode()}" if query else url, permanent=True)


def export_query(request: HttpRequest, council: LocalAuthority | None) -> str:
    """The query string of the timeline's CSV and JSON: this page's filters and its council."""
    query = request.GET.copy()
    query.pop("page", None)
    if council is not None:
        query["authority"] = council.slug
    return query.urlencode()


@require_safe
@cached_public_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Kept under the data version: a later visit costs no query but the data version's.
    context = kept_fragment(request, f"event:{slug}", lambda: event_detail_context(slug))
    return render(request, "inspections/events/detail.html", context)


def event_detail_context(slug: str) -> dict:
    event = get_object_or_404(Event.objects.for_event_page(), slug=slug)
    previous, following = event.neighbours()
    cited, cited_sources = event_page_sources(event)
    return {
        "event": event,
        "previous": previous,
        "next": following,
        "findings_by_kind": event.findings.all().by_kind_and_theme(),
        "cited": cited,
        "cited_sources": cited_sources,
    }


@require_safe
@cached_public_page
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/themes/list.html", {"themes": Theme.objects.with_counts()})


@require_safe
@cached_public_page
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    authority_slug = request.GET.get("authority", "").strip()
    context = kept_fragment(
        request,
        f"theme:{slug}:{authority_slug}",
        lambda: theme_detail_context(slug, authority_slug),
    )
    return render(request, "inspections/themes/detail.html", context)


def theme_detail_context(slug: str, authority_slug: str) -> dict:
    theme = get_object_or_404(Theme, slug=slug)
    authority = chosen_council(authority_slug)
    return {
        "theme": theme,
        "events": list(Event.objects.for_theme_page(theme, authority)),
        "authority": authority,
    }


@require_safe
@cached_public_page
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.for_sources_page()
    return render(request, "inspections/sources/list.html", {"sources": sources})


@require_safe
@cached_public_page
def history_summary(request: HttpRequest) -> HttpResponse:
    authority = chosen_authority(request)
    # Kept under the data version and the day: another address of the same summary
    # (its header names the address) draws only the header.
    key = authority.pk if authority else None
    history = kept_fragment(
        request, f"history-summary:{key}", lambda: drawn_history_summary(authority)
    )
    context = {"history": history, "produced_on": timezone.localdate()}
    return render(request, "inspections/timeline/summary.html", context)


@require_safe
@cached_public_page
def event_summary(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    return render(request, "inspections/timeline/summary_event.html", event_summary_context(event))
