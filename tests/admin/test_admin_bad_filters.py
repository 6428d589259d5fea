"""No query string makes an admin list answer 500: every list's dates, numbers, yes/no
fields and own filters, given huge numbers, impossible dates and words, are either used
(the list, perhaps empty) or refused with Django's "bad parameters" redirect (`?e=1`)."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from ..admin_support import make_editor, make_user
from ..builders import make_event

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
DATE_VALUES = {
    "__year": [HUGE, "99999", "abc"],
    "__month": ["13", HUGE],
    "__day": [HUGE],
    "__gte": ["2024-02-30", HUGE],
    "__lt": ["99999-01-01"],
}
NUMBER_VALUES = {"__exact": [HUGE, "abc"], "__gte": [f"-{HUGE}"], "__in": [f"1,{HUGE}"]}
CHOICE_VALUES = {"__exact": ["abc"], "__isnull": ["maybe"]}


def registered_lists():
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        yield model, model_admin, url


def bad_queries(model, model_admin):
    """Lookups with values that no link or form of the admin sends: on every date, on the
    key and every foreign key, on every number, yes/no or choice field the list filters."""
    filtered = {
        spec if isinstance(spec, str) else spec[0]
        for spec in model_admin.list_filter
        if isinstance(spec, (str, tuple))
    }
    for field in model._meta.concrete_fields:
        name = field.name
        if isinstance(field, models.DateField):  # DateTimeField too
            values = DATE_VALUES
        elif isinstance(field, models.ForeignKey):
            name, values = f"{field.name}__id", NUMBER_VALUES
        elif field.primary_key or (
            name in filtered and isinstance(field, (models.IntegerField, models.DecimalField))
        ):
            values = NUMBER_VALUES
        elif name in filtered and (isinstance(field, models.BooleanField) or field.choices):
            values = CHOICE_VALUES
        else:
            continue
        for lookup, choices in values.items():
            for value in choices:
                yield {f"{name}{lookup}": value}
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        yield {f"{field}__year": "9999", f"{field}__month": "12"}
        yield {f"{field}__year": "2024", f"{field}__month": "2", f"{field}__day": "31"}
        yield {f"{field}__year": HUGE}
    for spec in model_admin.list_filter:
        parameter = getattr(spec, "parameter_name", None)
        if parameter:
            yield {parameter: HUGE}
            yield {parameter: "abc"}
    yield {"p": HUGE}
    yield {"o": HUGE}
    yield {"o": "abc.-1"}


def assert_no_error(client, url, query):
    try:
        response = client.get(url, query)
    except Exception as error:  # the test client re-raises what would be a 500
        pytest.fail(f"{url} {query}: {type(error).__name__}: {error}")
    assert response.status_code in {200, 302}, (url, query, response.status_code)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1"), (url, query, response["Location"])


def test_no_bad_filter_on_any_admin_list_answers_500(authority):
    make_event(authority)
    client = Client()
    client.force_login(make_user("root", superuser=True))
    lists = list(registered_lists())
    assert len(lists) >= 15, "the admin lists were not found"
    for model, model_admin, url in lists:
        for query in bad_queries(model, model_admin):
            assert_no_error(client, url, query)


def test_the_event_list_refuses_a_huge_year_for_an_editor(authority):
    make_event(authority)
    client = Client()
    client.force_login(make_editor())
    url = reverse("admin:inspections_event_changelist")
    response = client.get(url, {"start_date__year": HUGE}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(f"{url}?e=1", 302)]
