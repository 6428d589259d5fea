"""Login throttling with django-axes: who a request comes from, and the lockout page.

gunicorn listens behind the proxy (gunicorn.conf.py), so REMOTE_ADDR is the proxy's for
every visitor. The proxy replaces X-Forwarded-For with the visitor's address
(deploy/nginx/proxy-headers.conf); that is believed only when the request came from the
proxy itself, since anyone else could write the header: through gunicorn's Unix socket,
whose mode lets only the proxy open it (a request on it has no peer address), or from an
address in DJANGO_TRUSTED_PROXIES. A process that talks to gunicorn's TCP port directly
is known by its own address, whatever header it sends.
"""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request came from the proxy: over gunicorn's Unix socket (no peer
    address) or from an address in DJANGO_TRUSTED_PROXIES."""
    remote = request.META.get("REMOTE_ADDR", "")
    return remote == "" or remote in settings.TRUSTED_PROXIES


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the proxy's last X-Forwarded-For entry, else REMOTE_ADDR."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if from_trusted_proxy(request) and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The 429 page in the site's design: why, for how long, and who can lift it."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    logger.warning(
        "Sign-in refused: %r from %s is locked out for %d minutes after %d failures.",
        username[:150],
        client_ip(request),
        minutes,
        settings.AXES_FAILURE_LIMIT,
    )
    context = {
        "username": username[:150],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(request, "429_login.html", context, status=429)
