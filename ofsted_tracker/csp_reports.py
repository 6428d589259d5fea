"""Where browsers report Content-Security-Policy violations, and the header naming it.

The policy (settings.CONTENT_SECURITY_POLICY) names this endpoint twice: `report-uri`
for browsers that post one `application/csp-report` object, and `report-to` for those
that post a list of Reporting API reports to the endpoint named in the
Reporting-Endpoints header. Anyone can post here, so the endpoint is bounded: the body
is capped (REQUEST_BODY_LIMITS), at most a few reports per body are read, each field is
cut short, at most LOG_BUDGET reports a minute are logged by a worker (the rest are
counted and the count logged), and nothing a client sends can make it answer 500.
"""

import json
import logging
import threading
import time

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

PATH = "/csp-report"
ENDPOINT_NAME = "csp-endpoint"
REPORTS_PER_BODY = 5
FIELD_CHARS = 200
LOG_BUDGET = 20
LOG_WINDOW_SECONDS = 60

# (what is logged, names in report-uri's format, names in the Reporting API's format)
FIELDS = (
    ("directive", ("effective-directive", "violated-directive"), ("effectiveDirective",)),
    ("blocked", ("blocked-uri",), ("blockedURL",)),
    ("page", ("document-uri",), ("documentURL",)),
    ("source", ("source-file",), ("sourceFile",)),
    ("line", ("line-number",), ("lineNumber",)),
)


class LogBudget:
    """At most `budget` log lines per window; says how many were dropped when it refills."""

    def __init__(self, budget: int, window: float):
        self.budget, self.window = budget, window
        self.lock = threading.Lock()
        self.window_start = -window
        self.used = self.dropped = 0

    def take(self, now: float) -> tuple[bool, int]:
        """(may this report be logged, how many were dropped in the window just ended)."""
        with self.lock:
            dropped_before = 0
            if now - self.window_start >= self.window:
                dropped_before, self.dropped = self.dropped, 0
                self.window_start, self.used = now, 0
            if self.used < self.budget:
                self.used += 1
                return True, dropped_before
            self.dropped += 1
            return False, dropped_before


budget = LogBudget(LOG_BUDGET, LOG_WINDOW_SECONDS)


def violations(payload: object) -> list[dict]:
    """The violation objects in a report-uri body or a Reporting API list, however shaped."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [
            item["body"]
            for item in payload[:REPORTS_PER_BODY]
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    return []


def summary(violation: dict, reporting_api: bool) -> dict[str, str]:
    found = {}
    for name, classic, modern in FIELDS:
        for key in modern if reporting_api else classic:
            value = violation.get(key)
            if value not in (None, ""):
                found[name] = str(value)[:FIELD_CHARS]
                break
    return found


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Logs each violation reported (within the budget); 204, or 400 for a body that is
    not a report."""
    try:
        payload = json.loads(request.body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return HttpResponse("Not a CSP report.\n", status=400, content_type="text/plain")
    reports = violations(payload)
    if not reports:
        return HttpResponse("Not a CSP report.\n", status=400, content_type="text/plain")
    for violation in reports:
        allowed, dropped = budget.take(time.monotonic())
        if dropped:
            logger.warning("%d CSP violation reports were not logged (too many).", dropped)
        if allowed:
            fields = summary(violation, reporting_api=isinstance(payload, list))
            logger.warning("CSP violation reported: %r", fields)
    return HttpResponse(status=204)


class ReportingEndpointsMiddleware:
    """Names the endpoint that the policy's `report-to` refers to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Reporting-Endpoints", f'{ENDPOINT_NAME}="{PATH}"')
        return response
