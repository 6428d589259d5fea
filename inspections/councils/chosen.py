"""Which local authority a page shows: the one in the address (/councils/<slug>/ or
?authority=<slug>), or without one the site's own council."""

from django.http import Http404, HttpRequest

from ofsted_tracker.http_cache import cached

from ..models import LocalAuthority


def chosen_council(slug: str | None) -> LocalAuthority | None:
    """The council `slug` names, or the site's own without one; 404 if there is none."""
    try:
        return LocalAuthority.objects.chosen(slug)
    except LocalAuthority.DoesNotExist as missing:
        raise Http404(f"There is no local authority called {slug!r}.") from missing


def chosen_authority(request: HttpRequest) -> LocalAuthority | None:
    """The council of ?authority=<slug>, or the site's own: kept as cached_council()."""
    return cached_council(request, request.GET.get("authority", "").strip() or None)


def cached_council(request: HttpRequest, slug: str | None) -> LocalAuthority | None:
    """chosen_council(slug), kept in the shared cache under the data version."""
    return cached(request, f"council:{slug}", lambda: chosen_council(slug))
