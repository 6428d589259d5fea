"""What every template may use: the site's identity (from settings) and the version
that keys the fragment cache."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import http_cache


def site_identity(request: HttpRequest | None = None) -> dict[str, str]:
    return {
        "site_council_name": settings.SITE_COUNCIL_NAME,
        "site_service_name": settings.SITE_SERVICE_NAME,
    }


def fragment_version(request: HttpRequest | None = None) -> dict[str, SimpleLazyObject]:
    """The `fragment_version` that every {% cache %} key includes (http_cache.py): lazy,
    so a page without fragments asks for nothing."""
    return {"fragment_version": SimpleLazyObject(lambda: http_cache.fragment_version(request))}
