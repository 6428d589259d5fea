"""HTTP caching for the public pages, opted into per view with `@cached_public_page`.

A public page shows the inspection data and nothing else (no user, no CSRF token), so
its ETag is made of:

- the *data version*: a random token that every save or delete of an inspections record
  replaces (the receivers are connected in inspections/apps.py). It lives in Django's
  database cache (settings.CACHES["data_version"]) so that every worker sees the same
  value, and it is written through the cache API on the same database connection, so it
  changes in the same transaction as the data: a rolled-back admin save changes nothing.
- the *release*: a hash of the code and templates that render the pages, so a deploy that
  changes the HTML changes every ETag;
- today's date, because summaries and exports say the day they were produced;
- the *variant*: the htmx request headers (an htmx request gets a fragment); responses
  say `Vary` on them.

Because the ETag changes whenever anything a page shows changes, the rendered page is
also kept in the "pages" cache under its ETag and address, so a first visit to a page
that someone has already seen since the last change costs no more than a 304. A cached
copy can never be stale: a change of data gives a new key.

`AnswerCachedPagesEarlyMiddleware` answers the 304s and the kept pages of the views that
opted in before the session, CSRF, authentication and message middleware run: those
pages depend on none of them, and skipping them is what lets a 304 cost little more
than a static file (bench/README.md). It only serves what the decorator has decided.

Bulk writes that send no signals (bulk_create, QuerySet.update, raw SQL) must call
`bump_data_version()` themselves.
"""

import datetime
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.views.decorators.http import condition

logger = logging.getLogger(__name__)

Kept = TypeVar("Kept")

VERSION_KEY = "data-version"
# The request headers that choose what a public view renders (django-htmx's request.htmx).
VARIANT_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
VARIANT_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in VARIANT_HEADERS)


class RecentVersion:
    """This worker's copy of the data version, reused for DATA_VERSION_CACHE_SECONDS."""

    value: str | None = None
    until: float = 0.0

    @classmethod
    def forget(cls) -> None:
        cls.value = None


def new_token() -> str:
    """A new data version: when it was made (for "data last updated"), and a random part."""
    return f"{int(time.time())}-{secrets.token_hex(6)}"


def version_time(version: str | None) -> datetime.datetime | None:
    """When the data version was made, or None for one made before versions said so."""
    stamp, _, rest = (version or "").partition("-")
    if not (stamp.isdigit() and rest):
        return None
    return datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)


def bump_data_version(**_signal_kwargs) -> None:
    """Replace the data version, in the current transaction. A signal receiver."""
    try:
        # A savepoint, so that a missing table (during the first `migrate`) cannot break
        # the caller's transaction on PostgreSQL.
        with transaction.atomic():
            caches["data_version"].set(VERSION_KEY, new_token(), None)
    except DatabaseError:
        logger.warning("Could not store a new data version; run `manage.py migrate`.")
        return
    # This worker's copy is out of date once the change is committed (at once outside a
    # transaction); a rolled-back change leaves it as it was.
    transaction.on_commit(RecentVersion.forget)


def data_version() -> str:
    """The current data version: one query, or none while this worker's copy is fresh.

    With DATA_VERSION_CACHE_SECONDS, a worker reuses the version it read for that long,
    so under load most 304s need no query at all; a change made by another worker then
    shows up to that many seconds late (a change made by this worker shows at once).
    Inside a transaction the database is always asked.
    """
    reuse_for = settings.DATA_VERSION_CACHE_SECONDS
    if transaction.get_connection().in_atomic_block:
        reuse_for = 0
    if reuse_for and RecentVersion.value is not None and time.monotonic() < RecentVersion.until:
        return RecentVersion.value
    versions = caches["data_version"]
    version = versions.get(VERSION_KEY)
    if version is None:
        # The first request ever: workers may race here; `add` keeps the first token.
        versions.add(VERSION_KEY, new_token(), None)
        version = versions.get(VERSION_KEY) or new_token()
    if reuse_for:
        RecentVersion.value, RecentVersion.until = version, time.monotonic() + reuse_for
    return version


def release() -> str:
    """A hash of what renders the pages, the same in every worker of one deploy.

    Worked out again on every request when debugging, so that an edited template is
    never answered with a 304."""
    return hash_release() if settings.DEBUG else cached_release()


def hash_release() -> str:
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=6)
    base = Path(settings.BASE_DIR)
    sources = [
        *sorted((base / "templates").rglob("*")),
        *sorted((base / "inspections").rglob("*.py")),
        *sorted((base / "ofsted_tracker").glob("*.py")),
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    for path in sources:
        if path.is_file():
            name = path.relative_to(base) if path.is_relative_to(base) else path
            digest.update(str(name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


cached_release = cache(hash_release)


def variant(request: HttpRequest) -> str:
    values = [request.META.get(name, "") for name in VARIANT_META]
    if not any(values):
        return "page"
    return hashlib.blake2b("\n".join(values).encode(), digest_size=4).hexdigest()


def page_etag(request: HttpRequest, *_args, **_kwargs) -> str:
    """The ETag of a public page, worked out once per request."""
    if not hasattr(request, "page_etag"):
        today = timezone.localdate().strftime("%Y%m%d")
        request.data_version = data_version()
        # Today's date too: a plan's fragment says whether its time has passed.
        request.fragment_version = f"{request.data_version}-{release()}-{today}"
        request.page_etag = f'"{request.fragment_version}-{variant(request)}"'
    return request.page_etag


def fragment_version(request: HttpRequest | None = None) -> str:
    """The data version and the release: part of every key in caches["fragments"], so a
    kept fragment is never shown after a change of data or of code. Read from the ETag
    already worked out for this request, or asked for afresh."""
    known = getattr(request, "fragment_version", None)
    return known or f"{data_version()}-{release()}-{timezone.localdate():%Y%m%d}"


def kept_fragment(request: HttpRequest, name: str, compute: Callable[[], Kept]) -> Kept:
    """What `compute` returns, kept in caches["fragments"] under `name` and the fragment
    version: for a view's data that only the inspection data decide (the comparison of a
    council with its neighbours), as {% cache %} keeps a template's pieces."""
    key = (
        "data:"
        + hashlib.blake2b(
            f"{fragment_version(request)}\n{name}".encode(), digest_size=16
        ).hexdigest()
    )
    fragments = caches["fragments"]
    # Kept in a tuple, so that a None (no chart, no council) is kept too.
    kept = fragments.get(key)
    if kept is None:
        kept = (compute(),)
        fragments.set(key, kept)
    return kept[0]


def page_cache_key(request: HttpRequest) -> str:
    """The key of the page in caches["pages"], worked out once per request: the early
    middleware, the view's wrapper and the store after a render all ask for it."""
    if not hasattr(request, "page_cache_key"):
        address = f"{request.get_host()}\n{request.get_full_path()}\n{request.page_etag}"
        request.page_cache_key = (
            "page:" + hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
        )
    return request.page_cache_key


def depends_on_the_visitor(response: HttpResponseBase) -> bool:
    vary = response.get("Vary", "").lower()
    return bool(response.cookies) or "cookie" in vary or "*" in vary


def kept_page(request: HttpRequest) -> HttpResponse | None:
    """The page as rendered since the last change of data, if this worker kept it."""
    kept = caches["pages"].get(page_cache_key(request))
    if kept is None:
        return None
    status, headers, content = kept
    return HttpResponse(content, status=status, headers=headers)


def serve_from_page_cache(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The page as rendered since the last change of data, or render it and keep it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        kept = kept_page(request)
        if kept is not None:
            return kept
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not depends_on_the_visitor(response)
        ):
            content = (response.status_code, dict(response.items()), response.content)
            caches["pages"].set(page_cache_key(request), content)
        return response

    return wrapper


def revalidate_every_time(response: HttpResponseBase) -> HttpResponseBase:
    """Vary on the htmx headers; browsers may keep the page but must ask (cheaply)
    before showing it again."""
    patch_vary_headers(response, VARIANT_HEADERS)
    patch_cache_control(response, no_cache=True)
    return response


def cached_public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Opt a public view into conditional GET and the page cache.

    Only for a page that shows nothing but the inspection data, the address, the htmx
    headers and today's date: never one that depends on who is asking.
    """
    conditional = condition(etag_func=page_etag)(serve_from_page_cache(view))

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        return revalidate_every_time(conditional(request, *args, **kwargs))

    wrapper.cached_public_page = True  # read by AnswerCachedPagesEarlyMiddleware
    return wrapper


@lru_cache(maxsize=4096)
def opted_in(urlconf: str, path: str) -> bool:
    """Whether the view at `path` is a @cached_public_page view."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "cached_public_page", False)


class AnswerCachedPagesEarlyMiddleware:
    """A 304, or the kept copy of the page, for a view that opted in with
    @cached_public_page, before the session, CSRF, authentication and message
    middleware run (none of which such a page may depend on). Anything else (a page
    to render, every other view) goes on down the stack as usual."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and opted_in(
            get_urlconf() or settings.ROOT_URLCONF, request.path_info
        ):
            etag = page_etag(request)
            early = get_conditional_response(request, etag=etag) or kept_page(request)
            if early is not None:
                early.headers.setdefault("ETag", etag)
                return revalidate_every_time(early)
        return self.get_response(request)


def create_version_table(
    using: str = DEFAULT_DB_ALIAS, plan: list | None = None, **_signal_kwargs
) -> None:
    """After `migrate` (and `flush`): create the cache table if need be, and bump, since
    a migration or a flush changes data without sending save or delete signals. A
    `migrate` that applied nothing (as at every `make run`) changes nothing."""
    call_command("createcachetable", database=using, verbosity=0)
    if using == DEFAULT_DB_ALIAS and (plan is None or plan):
        bump_data_version()
