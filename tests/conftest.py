import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from inspections.models import LocalAuthority

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing, but fail in CI, where nothing may be skipped."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """The file cache in a folder of this test session's own (Redis, when REDIS_URL is
    set, is used as it is: give the tests a server of their own)."""
    default = settings.CACHES["default"]
    if default["BACKEND"] != "django.core.cache.backends.filebased.FileBasedCache":
        yield
        return
    folder = tmp_path_factory.mktemp("cache")
    with override_settings(CACHES={"default": default | {"LOCATION": str(folder)}}):
        yield folder


@pytest.fixture(autouse=True)
def forget_cached(cache_folder):
    """A test rolls its changes back, but not the data version it bumped: what the test
    before kept under it must not be served to this one."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def seed_data(db):
    """The fixtures built from the source articles."""
    call_command("loaddata", "west_sussex", verbosity=0)


@pytest.fixture
def authority(db):
    return LocalAuthority.objects.create(name="Testshire County Council", slug="testshire")


@pytest.fixture(scope="session")
def chromium_path():
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    require(bool(path), "Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A real headless Chromium (Debian's), driven by Playwright; no browser download."""
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
    # the tests around it are synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def editor_client(client, db):
    """A test client logged in as a member of "Inspection editors"."""
    from .admin_support import make_editor

    client.force_login(make_editor())
    return client
