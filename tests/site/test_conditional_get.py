"""Conditional GET and the page cache: a repeat visit gets a 304 until the data (or the
code) changes, and only the views that opt in are cached."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test.utils import override_settings
from django.urls import path, reverse

from inspections.models import Event, LocalAuthority, Person, Theme
from ofsted_tracker import http_cache

from ..html import page_of
from ..public_pages import build_site, public_urls

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


def pages_cache(entries: int) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"test-pages-{entries}",
        "OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": 2},
    }


@pytest.fixture
def page_cache(settings):
    """The page cache as production has it (it is off when debugging)."""
    settings.CACHES = settings.CACHES | {"pages": pages_cache(400)}
    http_cache.caches["pages"].clear()
    yield http_cache.caches["pages"]
    http_cache.caches["pages"].clear()


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
        # Answered before most of the middleware, with the same headers as the page.
        assert "no-cache" in response["Cache-Control"], name
        assert "HX-Request" in response["Vary"], name
        assert "default-src 'self'" in response["Content-Security-Policy"], name


def test_an_admin_edit_changes_the_etag_and_the_page(admin_client, site):
    theme = Theme.objects.filter(findings__isnull=False).order_by("pk").first()
    before = etag(admin_client, theme.get_absolute_url())
    change_url = reverse("admin:inspections_theme_change", args=[theme.pk])
    data = admin_post_data(admin_client.get(change_url))
    data["description"] = "Young people leaving care, followed across the years."
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    response = admin_client.get(theme.get_absolute_url(), headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert "followed across the years" in page_of(response)


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


def test_loading_a_fixture_changes_the_version(site, tmp_path):
    fixture = tmp_path / "site.json"
    call_command("dumpdata", "inspections", output=fixture, verbosity=0)
    before = http_cache.data_version()
    call_command("loaddata", fixture, verbosity=0)
    assert http_cache.data_version() != before


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
        before = http_cache.hash_release()
        template.write_text("<title>Timeline of inspections</title>")
        assert http_cache.hash_release() != before


def test_a_first_visit_is_served_from_the_page_cache_and_never_stale(
    client, site, page_cache, django_assert_num_queries
):
    first = client.get(TIMELINE)
    with django_assert_num_queries(1):
        again = client.get(TIMELINE)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    # An event of the council that / shows.
    shown = Event.objects.filter(authority=LocalAuthority.objects.chosen())
    event = shown.order_by("start_date").first()
    event.title = "A title changed in the admin"
    event.save()
    after = client.get(TIMELINE)
    assert "A title changed in the admin" in page_of(after).by_id("results").headings(3)
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
    assert "Summary produced on 3 March 2026" in page_of(tomorrow)
    assert "Summary produced on 2 March 2026" in page_of(today)


def test_the_page_cache_keeps_within_its_budget(client, site, settings):
    settings.CACHES = settings.CACHES | {"pages": pages_cache(8)}
    pages = http_cache.caches["pages"]
    pages.clear()
    keys = [
        http_cache.page_cache_key(client.get(TIMELINE, {"year_from": year}).wsgi_request)
        for year in range(2010, 2030)
    ]
    kept = [key for key in keys if pages.get(key) is not None]
    assert 0 < len(kept) <= 8
    assert keys[-1] in kept  # the page just rendered is kept


# Only the views that opt in are cached. ---------------------------------------------


@http_cache.cached_public_page
def sets_a_cookie(request):
    response = HttpResponse("Hello")
    response.set_cookie("seen", "yes")
    return response


def shows_the_time(request):
    return HttpResponse("It is now")


urlpatterns = [path("cookie/", sets_a_cookie), path("now/", shows_the_time)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_does_not_opt_in_gets_no_etag(client):
    assert "ETag" not in client.get("/now/")


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_depends_on_the_visitor_is_never_kept_in_the_page_cache(client, page_cache):
    first = client.get("/cookie/")
    assert first.cookies["seen"].value == "yes"
    assert page_cache.get(http_cache.page_cache_key(first.wsgi_request)) is None


def test_the_data_version_survives_a_missing_row(db):
    """After `createcachetable` on a new database, the first request makes a version."""
    http_cache.caches["data_version"].delete(http_cache.VERSION_KEY)
    version = http_cache.data_version()
    assert version and http_cache.data_version() == version


def test_migrate_creates_the_version_table_so_a_deploy_needs_no_extra_step(db):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE ofsted_data_version")
    assert "ofsted_data_version" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "ofsted_data_version" in connection.introspection.table_names()
    assert http_cache.data_version()


@pytest.mark.django_db(transaction=True)
def test_a_worker_reuses_the_version_briefly_and_sees_its_own_changes_at_once(
    settings, monkeypatch
):
    settings.DATA_VERSION_CACHE_SECONDS = 0.25
    now = [1000.0]
    monkeypatch.setattr(http_cache.time, "monotonic", lambda: now[0])
    http_cache.RecentVersion.forget()
    first = http_cache.data_version()
    # Another worker's change: the table changes, this worker's copy does not know yet.
    http_cache.caches["data_version"].set(http_cache.VERSION_KEY, "elsewhere", None)
    assert http_cache.data_version() == first
    now[0] += 0.3
    assert http_cache.data_version() == "elsewhere"
    # This worker's own change shows at once.
    Theme.objects.create(name="A new theme", slug="a-new-theme")
    assert http_cache.data_version() not in (first, "elsewhere")


def test_a_link_checker_asking_with_head_gets_the_same_etag_and_its_304(client, site):
    tag = etag(client)
    head = client.head(TIMELINE)
    assert head.status_code == 200 and head["ETag"] == tag
    assert client.head(TIMELINE, headers={"If-None-Match": tag}).status_code == 304
