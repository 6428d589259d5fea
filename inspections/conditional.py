"""Conditional GET for the public pages: a repeat visit gets a 304 until the data changes.

A public page shows the inspection data and nothing else (no user, no CSRF token), so
its ETag is made of:

- the *data version*: a random token that every save or delete of an inspections record
  replaces (post_save, post_delete and m2m_changed, connected in apps.py). It is stored
  in Django's database cache (settings.CACHES["data_version"]), so both gunicorn workers
  see the same value, it needs no migration (`migrate` creates the table, see
  `ensure_table`), and it changes in the same transaction as the data: a rolled-back
  admin save changes nothing, and a page is never labelled with a version newer than
  its data. Reading it is one indexed one-row query.
- the *release*: a hash of the code and templates that render the pages and of the
  static-file manifest, so a deploy that changes the HTML changes every ETag.
- today's date, because summaries and exports say the day they were produced;
- the *variant*: the htmx request headers the views look at (an htmx request gets a
  fragment, a normal one the whole page); responses say `Vary` on them.

Bulk writes that send no signals (bulk_create, QuerySet.update, raw SQL) must call
`bump_data_version()` themselves; bench/generate.py does.

Because the ETag changes whenever anything a page shows changes, the rendered page can
be kept, too: each worker keeps its most recent pages in memory under their URL and
ETag (`PageCache`, DJANGO_PAGE_CACHE_MB per worker, 0 to turn it off), so a first visit
to a page that someone has already seen since the last change costs the same one query
as a 304. A cached copy can never be stale: a change of data gives a new key.

A page in the `inspections` namespace that shows anything besides the data, the URL,
those headers and today's date must opt out with `@conditional_get_exempt`.
"""

import base64
import hashlib
import logging
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from functools import cache, lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import setting_changed
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    transaction,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

CACHE_ALIAS = "data_version"
VERSION_KEY = "data-version"
PUBLIC_NAMESPACE = "inspections"
# The request headers that choose what a public view renders (django-htmx's request.htmx).
VARIANT_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
VARY = ", ".join(VARIANT_HEADERS)
_VARIANT_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in VARIANT_HEADERS)


def _new_token() -> str:
    return secrets.token_hex(8)


def _connection():
    return connections[DEFAULT_DB_ALIAS]


class _Recent:
    """This worker's copy of the version, reused for DATA_VERSION_CACHE_SECONDS."""

    version: str | None = None
    until: float = 0.0


def _forget_recent() -> None:
    _Recent.version = None


def _bumped_in_this_transaction() -> None:
    """On commit of a transaction that changed data: this worker's copy is out of date.
    Its presence among the on-commit hooks also marks a transaction that already bumped."""
    _forget_recent()


def _already_bumped(connection) -> bool:
    # Django drops on-commit hooks registered inside a savepoint or transaction that rolls
    # back, so a marker hook registered at the same savepoint depth means this transaction
    # (or savepoint) has already written a new version that is still going to be committed.
    # Loading a fixture of thousands of rows then costs one bump instead of thousands.
    if not connection.in_atomic_block:
        return False
    current = set(connection.savepoint_ids)
    return any(
        func is _bumped_in_this_transaction and sids == current
        for sids, func, _robust in connection.run_on_commit
    )


def _forget_bumps(connection) -> None:
    # Someone in this transaction has read the version: the next change must bump again.
    if connection.in_atomic_block:
        connection.run_on_commit = [
            hook for hook in connection.run_on_commit if hook[1] is not _bumped_in_this_transaction
        ]


def bump_data_version(**_signal_kwargs) -> None:
    """Replace the data version, in the current transaction. A signal receiver."""
    connection = _connection()
    if _already_bumped(connection):
        return
    try:
        # A savepoint, so that a missing table (during the first `migrate`) cannot break
        # the caller's transaction on PostgreSQL.
        with transaction.atomic():
            caches[CACHE_ALIAS].set(VERSION_KEY, _new_token(), None)
    except DatabaseError:
        logger.warning("Could not store a new data version; run `manage.py migrate`.")
        return
    connection.on_commit(_bumped_in_this_transaction)  # at once outside a transaction


@lru_cache(maxsize=4)
def _version_query(vendor: str) -> tuple[str, list[str]]:
    cache, connection = caches[CACHE_ALIAS], _connection()
    table = connection.ops.quote_name(cache._table)
    return f"SELECT value FROM {table} WHERE cache_key = %s", [cache.make_key(VERSION_KEY)]


def _select_version(connection):
    """cache.get(VERSION_KEY) in one plain query: the cache API's own get() costs more
    Python than the database round trip, on the path that serves every 304."""
    with connection.cursor() as cursor:
        cursor.execute(*_version_query(connection.vendor))
        row = cursor.fetchone()
    # The value as DatabaseCache stores it; the version never expires (timeout None).
    return None if row is None else pickle.loads(base64.b64decode(row[0]))


def _read_version(connection):
    """The version, and the request's database health check in the same round trip.

    With CONN_HEALTH_CHECKS, Django sends a `SELECT 1` before a request's first query on
    a reused connection. The version query can do that job: if the connection turns out
    to be dead (the database restarted), reconnect and ask once more.
    """
    if connection.in_atomic_block or not connection.health_check_enabled:
        return _select_version(connection)
    connection.health_check_done = True
    try:
        return _select_version(connection)
    except (OperationalError, InterfaceError):
        connection.close()
        return _select_version(connection)


def data_version() -> str:
    """The current data version: one query (two more the very first time).

    With DATA_VERSION_CACHE_SECONDS, a worker reuses the version it read for that long,
    so under load most 304s need no query at all; a change made by another worker then
    shows up to that many seconds late (a change made by this worker shows at once).
    Inside a transaction the database is always asked.
    """
    connection = _connection()
    _forget_bumps(connection)
    reuse_for = 0 if connection.in_atomic_block else settings.DATA_VERSION_CACHE_SECONDS
    if reuse_for and _Recent.version is not None and time.monotonic() < _Recent.until:
        return _Recent.version
    version = _read_version(connection)
    if version is None:
        # First request ever: both workers may race here; `add` keeps the first token.
        cache = caches[CACHE_ALIAS]
        cache.add(VERSION_KEY, _new_token(), None)
        version = cache.get(VERSION_KEY) or _new_token()
    if reuse_for:
        _Recent.version, _Recent.until = version, time.monotonic() + reuse_for
    return version


def release() -> str:
    """A hash of what renders the pages, the same in every worker of one deploy.

    Worked out again on every request when debugging, so that an edited template is
    never answered with a 304."""
    return _release() if settings.DEBUG else _cached_release()


def _release() -> str:
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=6)
    base = Path(settings.BASE_DIR)
    sources = [
        *sorted((base / "templates").rglob("*")),
        *sorted((base / "inspections").rglob("*.py")),
        *sorted((base / "inspections").rglob("*.html")),
        *sorted((base / "ofsted_tracker").glob("*.py")),
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    for path in sources:
        if path.is_file():
            digest.update(
                str(path.relative_to(base) if path.is_relative_to(base) else path).encode()
            )
            digest.update(path.read_bytes())
    return digest.hexdigest()


_cached_release = cache(_release)


def variant(request: HttpRequest) -> str:
    values = [request.META.get(name, "") for name in _VARIANT_META]
    if not any(values):
        return "page"
    return hashlib.blake2b("\n".join(values).encode(), digest_size=4).hexdigest()


def etag_for(request: HttpRequest) -> str:
    # Today's date too: printed summaries and exports say when they were produced.
    today = timezone.localdate().strftime("%Y%m%d")
    return f'"{data_version()}-{release()}-{today}-{variant(request)}"'


def conditional_get_exempt(view):
    """Mark a public view whose page depends on more than the data and the URL."""
    view.conditional_get_exempt = True
    return view


def _is_public_page(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and _is_public_path(request.path_info)


@lru_cache(maxsize=2048)
def _is_public_path(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.namespace == PUBLIC_NAMESPACE and not getattr(
        match.func, "conditional_get_exempt", False
    )


def _forget_paths(*, setting, **_kwargs):
    if setting == "ROOT_URLCONF":
        _is_public_path.cache_clear()
    if setting == "CACHES":
        _version_query.cache_clear()


setting_changed.connect(_forget_paths)


def _depends_on_the_visitor(response: HttpResponseBase) -> bool:
    vary = response.get("Vary", "").lower()
    return bool(response.cookies) or "cookie" in vary or "*" in vary


class PageCache:
    """The most recently rendered public pages of this process, within a byte budget."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # runserver and threaded workers share a process

    def get(self, key: tuple) -> HttpResponse | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        status, headers, content = entry
        return HttpResponse(content, status=status, headers=headers)

    def put(self, key: tuple, response: HttpResponseBase) -> None:
        if response.streaming or "nonce-" in response.get("Content-Security-Policy", ""):
            return  # a CSP nonce must never be sent twice
        content = response.content
        if len(content) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (response.status_code, dict(response.items()), content)
            self._bytes += len(content)
            while self._bytes > self.max_bytes:
                _key, (_status, _headers, old) = self._entries.popitem(last=False)
                self._bytes -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


page_cache = PageCache(getattr(settings, "PAGE_CACHE_BYTES", 0))


class ConditionalGetMiddleware:
    """ETag, 304 and the page cache for the public pages, decided before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _is_public_page(request):
            return self.get_response(request)
        etag = etag_for(request)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            key = (request.get_host(), request.get_full_path(), etag)
            cacheable = page_cache.max_bytes > 0
            response = page_cache.get(key) if cacheable else None
            if response is None:
                response = self.get_response(request)
                if response.status_code != 200 or _depends_on_the_visitor(response):
                    return response
                response["ETag"] = etag
                if cacheable:
                    page_cache.put(key, response)
        else:
            response["ETag"] = etag
        if response.has_header("Vary"):
            patch_vary_headers(response, VARIANT_HEADERS)
        else:
            response["Vary"] = VARY
        # Browsers may keep the page but must ask (cheaply) before showing it again.
        if response.has_header("Cache-Control"):
            patch_cache_control(response, no_cache=True)
        else:
            response["Cache-Control"] = "no-cache"
        return response


def ensure_table(using: str = DEFAULT_DB_ALIAS, **_signal_kwargs) -> None:
    """After `migrate` (and `flush`): create the cache table if need be, and bump, since
    a migration or a flush changes data without sending save or delete signals."""
    call_command("createcachetable", database=using, verbosity=0)
    if using == DEFAULT_DB_ALIAS:
        bump_data_version()
