"""Every source the site cites."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached_public_page

from ..models import Source


@require_safe
@cached_public_page
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.for_sources_page()
    return render(request, "inspections/sources/list.html", {"sources": sources})
