"""A council's timeline and its printed history: thin views over the filter form, the
QuerySets and the summaries."""

from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached, cached_public_page

from .. import dates
from ..choices import JudgementArea
from ..councils.charts import GradeChart, grade_chart
from ..councils.chosen import cached_council, chosen_authority
from ..models import Event, LocalAuthority
from ..web.fragments import drawn_fields, timeline_items
from ..web.pagination import paginate
from ..web.requests import HtmxHttpRequest
from ..web.slugs import is_slug
from .filters import CouncilTimelineFilters
from .standing import Standing, where_things_stand
from .summaries import drawn_history_summary

# A council has about 15 events in 15 years: one page. All councils together are many.
TIMELINE_PAGE_SIZE = 50


@require_safe
@cached_public_page
def timeline(request: HtmxHttpRequest, slug: str | None = None) -> HttpResponse:
    """A council's timeline: at / the site's own council, at /councils/<slug>/ any other."""
    if slug is None and (moved := moved_timeline(request)):
        return moved
    council = cached_council(request, slug)
    filters = CouncilTimelineFilters(request.GET, council=council)
    # The database chooses the page of events; each one's drawn item is a shared fragment.
    matching = filters.events(Event.objects.for_timeline_entries())
    pagination = paginate(request, list(matching), TIMELINE_PAGE_SIZE)
    events = list(pagination.page.object_list)
    history = CouncilEvents(council)
    items = timeline_items(request, [event.pk for event in events], history.by_pk)
    for event, item in zip(events, items, strict=True):
        event.item = item
    context = {
        "council": council,
        "filters": filters,
        "events": events,
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


class CouncilEvents:
    """A council's events with what a timeline item shows, read (two queries) only when
    something is not kept yet: the items missing, the grade chart and "where things
    stand" are then all drawn from this one reading."""

    def __init__(self, council: LocalAuthority | None):
        self.council = council

    @cached_property
    def events(self) -> list[Event]:
        if self.council is None:
            return []
        return list(Event.objects.filter(authority=self.council).for_timeline())

    def by_pk(self, pks: list[int]) -> dict[int, Event]:
        wanted = set(pks)
        return {event.pk: event for event in self.events if event.pk in wanted}

    def chart(self) -> GradeChart | None:
        """The chart of the council's overall judgements, oldest first."""
        overall = [
            judgement
            for event in self.events
            for judgement in event.judgements.all()
            if judgement.area == JudgementArea.OVERALL
        ]
        return grade_chart(overall)

    def standing(self) -> Standing | None:
        """Where the council stands today."""
        if self.council is None:
            return None
        return where_things_stand(self.events, dates.today(), self.council.ofsted_url)


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
def history_summary(request: HttpRequest) -> HttpResponse:
    authority = chosen_authority(request)
    # Kept under the data version and the day: another address of the same summary
    # (its header names the address) draws only the header.
    key = authority.pk if authority else None
    history = cached(request, f"history-summary:{key}", lambda: drawn_history_summary(authority))
    context = {"history": history, "produced_on": timezone.localdate()}
    return render(request, "inspections/timeline/summary.html", context)
