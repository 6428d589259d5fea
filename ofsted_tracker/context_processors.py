"""The site's identity for every template, from settings: no database query."""

from django.conf import settings
from django.http import HttpRequest


def site_identity(request: HttpRequest | None = None) -> dict[str, str]:
    return {
        "site_council_name": settings.SITE_COUNCIL_NAME,
        "site_service_name": settings.SITE_SERVICE_NAME,
    }
