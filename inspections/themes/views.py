"""The themes findings are filed under, and each theme across a council's events."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached, cached_public_page

from ..councils.chosen import chosen_council
from ..models import Event, Theme


@require_safe
@cached_public_page
def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/themes/list.html", {"themes": Theme.objects.with_counts()})


@require_safe
@cached_public_page
def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    authority_slug = request.GET.get("authority", "").strip()
    context = cached(
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
