import faulthandler
import os
import shutil
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import global_settings, settings
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
def own_cache(tmp_path_factory, worker_id):
    """A cache of this test process's own, since every test clears it: the file cache in a
    folder of the session's own, or with REDIS_URL a Redis database numbered for the
    pytest-xdist worker (10 and up: the two-host test uses 7), so that two workers never
    clear each other's."""
    default = settings.CACHES["default"]
    if default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
        own = default | {"LOCATION": str(tmp_path_factory.mktemp("cache"))}
    else:
        number = 10 + (int(worker_id.removeprefix("gw")) if worker_id != "master" else 0)
        address = urlsplit(default["LOCATION"])
        own = default | {"LOCATION": urlunsplit(address._replace(path=f"/{number}"))}
    with override_settings(CACHES={"default": own}):
        yield own


@pytest.fixture(autouse=True)
def forget_cached(own_cache):
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


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing():
    """Passwords hashed with MD5 in tests, as Django's testing guide suggests ("Speeding up
    the tests", docs/topics/testing/overview.txt): the default PBKDF2 takes a third of a
    second here by design, paid by every user a test makes and every password it signs in
    with. Hashes already made with PBKDF2 are still checked. Servers that tests start in a
    process of their own (gunicorn) keep the real hasher."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file of this run's own, not Django's in-memory one.

    With an in-memory database the live server (pytest-django's live_server, Django's
    LiveServerThread) hands the test's one connection to every thread that serves a request:
    Django's documentation warns that two threads must not query through it at once
    (docs/topics/testing/tools.txt, the note under LiveServerTestCase), and a page that
    loads its scripts and an autocomplete in parallel does exactly that: on a busy machine
    the admin's browser test hung with two server threads waiting inside SQLite (as threads
    sharing one in-memory database hung datasette, simonw/datasette#2189). With a file,
    each thread opens its own connection, and SQLite's file locks with their busy timeout
    order the writers. Tests that use the live server are transactional already
    (pytest-django), so the server sees what they commit. The file is thrown away after
    the run, so SQLite need not wait for the disk at each commit (synchronous = OFF).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = "PRAGMA synchronous = OFF"


# A test stuck where pytest-timeout's signal cannot reach it (a thread holding the
# interpreter's lock while it waits inside a C library) would hang the run: after this
# long faulthandler, which needs no Python thread to run, prints every thread's traceback
# and ends the run. pytest-timeout (pyproject.toml) fails an ordinary slow test well before.
HARD_LIMIT_SECONDS = 600
TERMINAL = pytest.StashKey[object]()


def pytest_configure(config):
    # Tests' output is captured at the file-descriptor level; the traceback must reach the
    # terminal, which fd 2 is again once configuration starts.
    config.stash[TERMINAL] = os.fdopen(os.dup(2), "w")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    faulthandler.dump_traceback_later(
        HARD_LIMIT_SECONDS, exit=True, file=item.config.stash[TERMINAL]
    )
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()
