"""Is the site able to serve its pages? The health check, and the page shown when not."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .context_processors import site_identity
from .http_cache import data_version
from .login_throttling import from_trusted_proxy

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached or cannot answer now", not a bug.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def via_proxy(request: HttpRequest) -> bool:
    """Whether the request came through the reverse proxy, which always sets
    X-Forwarded-For (deploy/nginx/proxy-headers.conf). A probe that reaches gunicorn
    directly says so, since it proves nothing about the proxy that protects the workers
    from slow clients."""
    return from_trusted_proxy(request) and "HTTP_X_FORWARDED_FOR" in request.META


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database and the shared cache (which holds the data version) answer,
    503 when not; either way, whether the probe came through the reverse proxy."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check failed: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "via_proxy": via_proxy(request)},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    try:
        data_version()
    except Exception as error:  # whatever the cache's client raises (Redis: ConnectionError)
        logger.error("Health check failed: the cache: %s", error)
        return JsonResponse(
            {"status": "unavailable", "cache": "unreachable", "via_proxy": via_proxy(request)},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return JsonResponse({"status": "ok", "database": "ok", "via_proxy": via_proxy(request)})


def service_unavailable() -> HttpResponse:
    """The 503 page, rendered with no request and no context processors: no database."""
    html = loader.get_template("503.html").render(site_identity())
    return HttpResponse(
        html,
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a clear 503 when the database is down, the usual 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return service_unavailable()
    # As Django's own handler500 does (no request context, which might need the database),
    # with the site's identity for the header.
    html = loader.get_template(defaults.ERROR_500_TEMPLATE_NAME).render(site_identity())
    return HttpResponseServerError(html)
