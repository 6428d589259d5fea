"""Request bodies larger than the page could ever need, refused before they are read.

Without this, any visitor could post a file of hundreds of megabytes to any form (the
admin's sign-in page included) and Django would read it into a temporary file before
the view refused it. The size a client announces (Content-Length) is checked before a
byte is read: a small limit everywhere, a larger one under the path prefixes in
settings.REQUEST_BODY_LIMITS (the admin's report upload). A body sent without a length
(chunked) is never read by Django at all, and the proxy refuses large ones first
(deploy/nginx/proxy.conf); this is the same rule inside the application.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def body_limit(path: str) -> int:
    """The largest body, in bytes, accepted for this path: the longest matching prefix wins."""
    matches = [prefix for prefix in settings.REQUEST_BODY_LIMITS if path.startswith(prefix)]
    if not matches:
        return settings.REQUEST_BODY_DEFAULT_LIMIT
    return settings.REQUEST_BODY_LIMITS[max(matches, key=len)]


def announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot parse either


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.3g} MB" if size >= 1_048_576 else f"{size / 1024:.3g} KB"


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        length = announced_length(request)
        if length > limit:
            context = {"limit": megabytes(limit), "size": megabytes(length)}
            # gunicorn's sync workers close the connection after every response, so the
            # unread rest of the body goes nowhere.
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
