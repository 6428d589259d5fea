"""What every template may use: the site's identity (from settings), the version that
keys the fragment cache, and the release that keys the page chrome."""

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import http_cache


def site_identity(request: HttpRequest | None = None) -> dict[str, object]:
    return {
        "site_council_name": settings.SITE_COUNCIL_NAME,
        "site_service_name": settings.SITE_SERVICE_NAME,
        "site_contact_email": settings.SITE_CONTACT_EMAIL,
        "data_updated": data_updated(request),
    }


def data_updated(request: HttpRequest | None) -> datetime.date | None:
    """The day the data last changed, from the data version a public page was served at
    (no query of its own); None on pages that do not read it."""
    changed = http_cache.version_time(getattr(request, "data_version", None))
    return timezone.localdate(changed) if changed else None


def fragment_version(request: HttpRequest | None = None) -> dict[str, SimpleLazyObject]:
    """The `fragment_version` that every {% cache %} key of the data includes, and the
    `release` (http_cache.py) that keys base.html's header, navigation and footer, which
    show no inspection data: every page draws those, a page of the admin or an error page
    too, so they must not ask the database for the data version. Both lazy, so a page
    without fragments asks for nothing."""
    return {
        "fragment_version": SimpleLazyObject(lambda: http_cache.fragment_version(request)),
        "release": SimpleLazyObject(http_cache.release),
    }
