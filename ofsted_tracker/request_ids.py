"""A request id on every request, its response and every log line written while serving it.

The proxy sends X-Request-ID (deploy/nginx/proxy.conf) and logs it, so an error in the
application's log can be matched with the proxy's access log line and with what the
person saw; without a proxy a new id is made. The id is echoed in the response header.
"""

import contextvars
import logging
import re
import uuid

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Letters, digits and a few separators only: the id is written into log lines as it is.
ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{8,64}")
NO_REQUEST = "-"

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=NO_REQUEST
)


def request_id_for(request: HttpRequest) -> str:
    """The id the proxy gave, when it is a sensible one, else a new one."""
    given = request.headers.get(HEADER, "")
    return given if ACCEPTABLE.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = request_id_for(request)
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, "-" for those written outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True
