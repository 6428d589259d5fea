"""Conditional GET: a repeat visit gets a 304 until the data (or the code) changes."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse

from inspections import conditional
from inspections.models import Event, Person, Theme

from .public_pages import build_site, public_urls

pytestmark = pytest.mark.django_db

TIMELINE = reverse("inspections:timeline")
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def site(db):
    build_site()


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.fixture
def page_cache(monkeypatch):
    """The page cache as production has it (it is off when debugging)."""
    monkeypatch.setattr(conditional.page_cache, "max_bytes", 8 * 1024 * 1024)
    conditional.page_cache.clear()
    yield conditional.page_cache
    conditional.page_cache.clear()


def etag(client, url=TIMELINE, **headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response["ETag"]


def admin_post_data(response) -> dict:
    """What the browser would post back from an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        data |= {
            management.add_prefix(name): management[name].value() for name in management.fields
        }
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_every_public_page_has_an_etag_and_asks_browsers_to_revalidate(client, site):
    for name, url in public_urls().items():
        response = client.get(url)
        assert response["ETag"].startswith('"'), name
        assert "no-cache" in response["Cache-Control"], name
        assert "HX-Request" in response["Vary"], name


def test_a_repeat_visit_gets_a_304_for_one_query(client, site, django_assert_num_queries):
    """One indexed query: the data version."""
    for name, url in public_urls().items():
        tag = etag(client, url)
        with django_assert_num_queries(1):
            response = client.get(url, headers={"If-None-Match": tag})
        assert response.status_code == 304, name
        assert response.content == b""
        assert response["ETag"] == tag


def test_an_admin_edit_changes_the_etag_and_the_page(admin_client, site):
    theme = Theme.objects.get(slug="care-leavers")
    before = etag(admin_client, theme.get_absolute_url())
    change_url = reverse("admin:inspections_theme_change", args=[theme.pk])
    data = admin_post_data(admin_client.get(change_url))
    data["description"] = "Young people leaving care, followed across the years."
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    response = admin_client.get(theme.get_absolute_url(), headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert "followed across the years" in response.content.decode()


def test_an_admin_delete_changes_the_etag(admin_client, site):
    person = Person.objects.create(name="Someone who never said anything")
    before = etag(admin_client)
    delete_url = reverse("admin:inspections_person_delete", args=[person.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert etag(admin_client) != before


def test_every_save_in_one_transaction_after_a_visit_changes_the_etag_again(client, site):
    event = Event.objects.first()
    first = etag(client)
    event.summary = "First change."
    event.save()
    second = etag(client)
    event.summary = "Second change."
    event.save()
    assert len({first, second, etag(client)}) == 3


def test_a_change_that_is_rolled_back_leaves_the_etag_alone(client, site):
    before = etag(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        event = Event.objects.first()
        event.summary = "Never saved."
        event.save()
        raise RuntimeError("the admin's form failed")
    assert etag(client) == before


def test_loading_a_fixture_changes_the_version_once_not_once_a_row(site, tmp_path):
    fixture = tmp_path / "site.json"
    call_command("dumpdata", "inspections", output=fixture, verbosity=0)
    before = conditional.data_version()
    with CaptureQueriesContext(connection) as queries:
        call_command("loaddata", fixture, verbosity=0)
    rows = Event.objects.count()
    version_writes = [
        q for q in queries if "ofsted_data_version" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert rows > 20 and len(version_writes) == 1
    assert conditional.data_version() != before


def test_an_htmx_request_and_a_page_request_have_different_etags(client, site):
    page = etag(client)
    fragment = etag(client, HX_Request="true", HX_Target="results")
    assert page != fragment
    assert (
        client.get(TIMELINE, headers={"If-None-Match": page, "HX-Request": "true"}).status_code
        == 200
    )


def test_an_old_etag_after_a_change_gets_the_new_page(client, site):
    old = etag(client)
    Event.objects.filter(pk=Event.objects.first().pk).first().save()
    response = client.get(TIMELINE, headers={"If-None-Match": old})
    assert response.status_code == 200
    assert response["ETag"] != old


def test_a_deploy_that_changes_a_template_changes_the_etag(tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "base.html"
    template.write_text("<title>Timeline</title>")
    with override_settings(BASE_DIR=tmp_path, STATIC_ROOT=tmp_path / "static"):
        before = conditional._release()
        template.write_text("<title>Timeline of inspections</title>")
        assert conditional._release() != before


def test_a_first_visit_is_served_from_the_page_cache_and_never_stale(
    client, site, page_cache, django_assert_num_queries
):
    first = client.get(TIMELINE)
    with django_assert_num_queries(1):
        again = client.get(TIMELINE)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    event = Event.objects.order_by("start_date").first()
    event.title = "A title changed in the admin"
    event.save()
    after = client.get(TIMELINE)
    assert "A title changed in the admin" in after.content.decode()
    assert after["ETag"] != first["ETag"]


def test_a_summary_printed_tomorrow_says_tomorrow_not_the_day_it_was_cached(
    client, site, page_cache
):
    summary = reverse("inspections:summary")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 23, 59, tzinfo=LONDON), tick=False):
        today = client.get(summary)
        assert client.get(summary, headers={"If-None-Match": today["ETag"]}).status_code == 304
    with time_machine.travel(datetime.datetime(2026, 3, 3, 0, 1, tzinfo=LONDON), tick=False):
        tomorrow = client.get(summary, headers={"If-None-Match": today["ETag"]})
    assert tomorrow.status_code == 200
    assert "3 March 2026" in tomorrow.content.decode()
    assert "3 March 2026" not in today.content.decode()


def test_the_page_cache_keeps_within_its_budget(client, site, page_cache):
    page_cache.max_bytes = 200_000
    for year in range(2010, 2030):
        client.get(TIMELINE, {"year_from": year})
    assert 0 < page_cache._bytes <= 200_000


# Pages that show more than the data get no ETag. ----------------------------------------


def sets_a_cookie(request):
    response = HttpResponse("Hello")
    response.set_cookie("seen", "yes")
    return response


@conditional.conditional_get_exempt
def shows_the_time(request):
    return HttpResponse("It is now")


public = [path("cookie/", sets_a_cookie, name="cookie"), path("now/", shows_the_time, name="now")]
urlpatterns = [path("", include((public, "inspections")))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_depends_on_the_visitor_or_opts_out_gets_no_etag(client):
    assert "ETag" not in client.get("/cookie/")
    assert "ETag" not in client.get("/now/")


def test_the_data_version_survives_a_missing_row(db):
    """After `createcachetable` on a new database, the first request makes a version."""
    conditional.caches[conditional.CACHE_ALIAS].delete(conditional.VERSION_KEY)
    version = conditional.data_version()
    assert version and conditional.data_version() == version


def test_migrate_creates_the_version_table_so_a_deploy_needs_no_extra_step(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE ofsted_data_version")
    assert "ofsted_data_version" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "ofsted_data_version" in connection.introspection.table_names()
    assert conditional.data_version()


@pytest.mark.django_db(transaction=True)
def test_a_worker_reuses_the_version_briefly_and_sees_its_own_changes_at_once(
    settings, monkeypatch
):
    settings.DATA_VERSION_CACHE_SECONDS = 0.25
    now = [1000.0]
    monkeypatch.setattr(conditional.time, "monotonic", lambda: now[0])
    conditional._forget_recent()
    first = conditional.data_version()
    # Another worker's change: the table changes, this worker's copy does not know yet.
    conditional.caches[conditional.CACHE_ALIAS].set(conditional.VERSION_KEY, "elsewhere", None)
    assert conditional.data_version() == first
    now[0] += 0.3
    assert conditional.data_version() == "elsewhere"
    # This worker's own change shows at once.
    Theme.objects.create(name="A new theme", slug="a-new-theme")
    assert conditional.data_version() not in (first, "elsewhere")


def test_a_link_checker_asking_with_head_gets_the_same_etag_and_its_304(client, site):
    tag = etag(client)
    head = client.head(TIMELINE)
    assert head.status_code == 200 and head["ETag"] == tag
    assert client.head(TIMELINE, headers={"If-None-Match": tag}).status_code == 304
