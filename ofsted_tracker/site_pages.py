"""The pages every public-sector website has: the accessibility statement and the privacy
notice. They say the same whatever the data, so they are cached like the public pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .http_cache import cached_public_page


@require_safe
@cached_public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "site/accessibility.html")


@require_safe
@cached_public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html")
