"""Which local authority a page shows: ?authority=<slug>, or the site's own council."""

from django.http import Http404, HttpRequest

from .models import LocalAuthority


def chosen_authority(request: HttpRequest) -> LocalAuthority | None:
    slug = request.GET.get("authority", "").strip()
    try:
        return LocalAuthority.objects.chosen(slug)
    except LocalAuthority.DoesNotExist as missing:
        raise Http404(f"There is no local authority called {slug!r}.") from missing
