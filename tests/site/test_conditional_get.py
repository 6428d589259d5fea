"""Conditional GET and the page cache: a repeat visit gets a 304 until the data (or the
code) changes, and only the views that opt in are cached."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test.utils import override_settings
from django.urls import path, reverse

from inspections.models import Event, LocalAuthority, Person, Theme
from ofsted_tracker import http_cache

from ..builders import make_event
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


@pytest.fixture
def page_cache(settings):
    """The page cache on, as it is unless DJANGO_PAGE_CACHE=false."""
    settings.PAGE_CACHE = True
    return caches["default"]


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


def test_a_repeat_visit_gets_a_304_with_no_query(client, site, django_assert_num_queries):
    """The data version is in the shared cache: the database is not asked."""
    for name, url in public_urls().items():
        tag = etag(client, url)
        with django_assert_num_queries(0):
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


def test_a_change_that_is_rolled_back_leaves_the_pages_as_they_were(client, site):
    pages = {name: client.get(url).content for name, url in public_urls().items()}
    with pytest.raises(RuntimeError), transaction.atomic():
        event = Event.objects.order_by("pk").first()
        event.title = "Never saved."
        event.save()
        raise RuntimeError("the admin's form failed")
    for name, url in public_urls().items():
        assert client.get(url).content == pages[name], name


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
    with django_assert_num_queries(0):
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


def test_a_cleared_cache_makes_a_new_version_on_the_next_request(db):
    caches["default"].delete(http_cache.VERSION_KEY)
    version = http_cache.data_version()
    assert version and http_cache.data_version() == version


def test_migrate_that_applies_something_changes_the_version(db):
    before = http_cache.data_version()
    http_cache.bump_after_migrate(plan=[])
    assert http_cache.data_version() == before
    http_cache.bump_after_migrate(plan=[("a migration", False)])
    assert http_cache.data_version() != before


@pytest.mark.django_db(transaction=True)
def test_a_change_made_elsewhere_is_on_the_next_response_with_no_waiting(client):
    """Another worker (or host) changes the data through the ORM: this one's very next
    response shows it, since the version is read from the shared cache every time."""
    council = LocalAuthority.objects.create(name="Elsewhereshire", slug="elsewhereshire")
    url = reverse("inspections:council", args=[council.slug])
    make_event(council, title="Before", start_date=datetime.date(2024, 1, 1))
    assert "Before" in client.get(url).content.decode()
    event = Event.objects.get(authority=council)
    event.title = "After"
    event.save()
    assert "After" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_commit_replaces_the_version_seen_while_the_change_was_uncommitted():
    """What another worker drew under the version of the change before it was committed
    (from the data as they were) is never used again."""
    with transaction.atomic():
        Theme.objects.create(name="A new theme", slug="a-new-theme")
        during = http_cache.data_version()
    assert http_cache.data_version() != during


def test_the_cache_is_redis_exactly_when_redis_url_is_set(monkeypatch):
    from ofsted_tracker import settings as project_settings

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("DJANGO_CACHE_DIR", "/somewhere/cache")
    local = project_settings.cache_from_environment()
    assert local["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert local["LOCATION"] == "/somewhere/cache"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6390/0")
    shared = project_settings.cache_from_environment()
    assert shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["LOCATION"] == "redis://127.0.0.1:6390/0"
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6390/0")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        project_settings.cache_from_environment()


def test_a_link_checker_asking_with_head_gets_the_same_etag_and_its_304(client, site):
    tag = etag(client)
    head = client.head(TIMELINE)
    assert head.status_code == 200 and head["ETag"] == tag
    assert client.head(TIMELINE, headers={"If-None-Match": tag}).status_code == 304
