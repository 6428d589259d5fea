"""The CSP report endpoint: logs violations, bounded, CSRF-exempt, POST only, never a 500."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_tracker import csp_reports

pytestmark = pytest.mark.django_db

CLASSIC = {
    "csp-report": {
        "document-uri": "https://ofsted.example.gov.uk/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example.com/x.js",
        "source-file": "https://ofsted.example.gov.uk/",
        "line-number": 12,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "https://ofsted.example.gov.uk/themes/",
        "body": {
            "documentURL": "https://ofsted.example.gov.uk/themes/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "sourceFile": "https://ofsted.example.gov.uk/static/app/print.js",
            "lineNumber": 3,
        },
    }
]


@pytest.fixture(autouse=True)
def fresh_budget(monkeypatch):
    monkeypatch.setattr(csp_reports, "budget", csp_reports.LogBudget(20, 60))


@pytest.fixture
def browser():
    """Browsers send no CSRF token with a report: the endpoint must not need one."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def report(client, payload, content_type="application/csp-report"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.generic("POST", reverse("csp_report"), body, content_type=content_type)


def logged_violations(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == csp_reports.__name__]


def test_the_policy_names_the_report_endpoint_both_ways(client):
    response = client.get(reverse("inspections:timeline"))
    policy = response["Content-Security-Policy"]
    assert "report-uri /csp-report" in policy
    assert "report-to csp-endpoint" in policy
    assert response["Reporting-Endpoints"] == 'csp-endpoint="/csp-report"'


def test_a_report_uri_violation_is_logged(browser, caplog):
    with caplog.at_level(logging.WARNING):
        response = report(browser, CLASSIC)
    assert response.status_code == 204
    [line] = logged_violations(caplog)
    assert "script-src-elem" in line and "https://evil.example.com/x.js" in line


def test_a_reporting_api_violation_is_logged(browser, caplog):
    with caplog.at_level(logging.WARNING):
        response = report(browser, REPORTING_API, "application/reports+json")
    assert response.status_code == 204
    [line] = logged_violations(caplog)
    assert "style-src-attr" in line and "print.js" in line


def test_only_post_is_accepted(client):
    assert client.get(reverse("csp_report")).status_code == 405


def test_a_body_over_16_kb_is_refused_unread_and_not_logged(browser, caplog):
    padded = {"csp-report": {**CLASSIC["csp-report"], "script-sample": "x" * 17_000}}
    with caplog.at_level(logging.WARNING):
        response = report(browser, padded)
    assert response.status_code == 413
    assert logged_violations(caplog) == []


def test_each_field_logged_is_cut_short(browser, caplog):
    long_uri = "https://evil.example.com/" + "a" * 5000
    padded = {"csp-report": {**CLASSIC["csp-report"], "blocked-uri": long_uri}}
    with caplog.at_level(logging.WARNING):
        report(browser, padded)
    [line] = logged_violations(caplog)
    assert len(line) < 1000


def test_a_flood_of_reports_logs_at_most_20_a_minute_then_says_how_many_were_dropped(
    browser, caplog
):
    with caplog.at_level(logging.WARNING):
        for _ in range(25):
            assert report(browser, CLASSIC).status_code == 204
        assert len(logged_violations(caplog)) == 20
        csp_reports.budget.window_start -= 61  # a minute later
        report(browser, CLASSIC)
    lines = logged_violations(caplog)
    assert "5 CSP violation reports were not logged" in lines[20]
    assert len(lines) == 22


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe", b"[" * 15000, b"null", b"42", b'{"csp-report": 1}', b"[1,2]"],
)
def test_a_body_that_is_not_a_report_gets_400_not_500(browser, body):
    assert report(browser, body).status_code == 400


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["csp-report", "type", "body", "blocked-uri", "blockedURL", "x"]),
                children,
                max_size=4,
            )
        ),
        max_leaves=15,
    )
)
def test_no_json_a_client_sends_makes_the_endpoint_fail(browser, payload):
    assert report(browser, payload).status_code in {204, 400}
