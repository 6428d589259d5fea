"""An inspection or visit: its page and its printable summary."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached, cached_public_page

from ..models import Event
from ..timeline.summaries import event_page_sources, event_summary_context


@require_safe
@cached_public_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Kept in the shared cache under the data version.
    context = cached(request, f"event:{slug}", lambda: event_detail_context(slug))
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
def event_summary(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.for_detail(), slug=slug)
    return render(request, "inspections/events/summary.html", event_summary_context(event))
