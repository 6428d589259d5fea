"""django-csp's middleware, with the site-wide policy built once rather than per response.

django-csp 4 builds the Content-Security-Policy string from the settings on every
response, which costs more than the rest of a 304. The site sets one policy for every
page, so the string is built once and reused; a response with a per-view policy
(`csp_update`, `csp_replace`, `csp`, `csp_exempt`) or a request that used a nonce still
goes through django-csp's own code.
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@cache
def site_policies() -> tuple[str, str] | None:
    """(policy, report-only policy), or None when a policy excludes some URLs."""
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
    return build_policy(), build_policy(report_only=True)


def _forget_policies(*, setting, **_kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policies.cache_clear()


setting_changed.connect(_forget_policies)


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        policies = site_policies()
        if (
            policies is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        policy, report_only = policies
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
