"""HTTP caching for the public pages, opted into per view with `@cached_public_page`.

Everything lives in Django's one cache (settings.CACHES["default"]: Redis, or files every
worker of a host shares), under keys that carry the *data version*: a token that every
save or delete of an inspections record replaces (the receivers are connected in
inspections/apps.py). A change made by any worker on any host is seen by every other on
its next request, and nothing kept is ever stale or purged by hand: it is simply never
asked for again.

A public page shows the inspection data and nothing else (no user, no CSRF token), so
its ETag is made of the data version; the *release* (a hash of the code and templates
that render the pages); today's date (summaries say the day they were produced, plans
whether their time has passed); and the *variant* (the htmx request headers, on which
responses say `Vary`). The rendered page is kept under its ETag and address, and
`AnswerCachedPagesEarlyMiddleware` answers the 304s and the kept pages before the
session, CSRF, authentication and message middleware run (bench/README.md).

`cached()` keeps what a function returns and `cached_pieces()` the drawn pieces of a page
(a timeline item, a row of a table), under the same version.

Bulk writes that send no signals (bulk_create, QuerySet.update, raw SQL) must call
`bump_data_version()` themselves.
"""

import datetime
import hashlib
import secrets
import time
from collections.abc import Callable, Hashable, Sequence
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import TypeVar

import django
from django.conf import settings
from django.core.cache import cache as shared
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

Kept = TypeVar("Kept")
Piece = TypeVar("Piece")

VERSION_KEY = "data-version"
# The request headers that choose what a public view renders (django-htmx's request.htmx).
VARIANT_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
VARIANT_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in VARIANT_HEADERS)


def new_token() -> str:
    """A new data version: when it was made (for "data last updated"), and a random part."""
    return f"{int(time.time())}-{secrets.token_hex(6)}"


def version_time(version: str | None) -> datetime.datetime | None:
    """When the data version was made, or None for one that does not say."""
    stamp, _, rest = (version or "").partition("-")
    if not (stamp.isdigit() and rest):
        return None
    return datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)


def replace_data_version() -> None:
    shared.set(VERSION_KEY, new_token(), None)


def bump_data_version(**_signal_kwargs) -> None:
    """Replace the data version at once, and again once the change is committed.

    At once, so that the writing transaction itself is shown its change; again on commit,
    because another worker may meanwhile have drawn a page, under the intermediate
    version, from the data as it was before the commit. A rolled-back change leaves only
    a version under which the old data were drawn. A signal receiver."""
    replace_data_version()
    transaction.on_commit(replace_data_version)


def bump_after_migrate(
    using: str = DEFAULT_DB_ALIAS, plan: list | None = None, **_signal_kwargs
) -> None:
    """A migration or a `flush` changes data without save or delete signals; a `migrate`
    that applied nothing (as at every `make run`) changes nothing."""
    if using == DEFAULT_DB_ALIAS and (plan is None or plan):
        bump_data_version()


def data_version() -> str:
    """The current data version, from the shared cache; made on the first request ever
    (workers may race there: `add` keeps the first token)."""
    version = shared.get(VERSION_KEY)
    if version is None:
        shared.add(VERSION_KEY, new_token(), None)
        version = shared.get(VERSION_KEY) or new_token()
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
        request.fragment_version = f"{request.data_version}-{release()}-{today}"
        request.page_etag = f'"{request.fragment_version}-{variant(request)}"'
    return request.page_etag


def fragment_version(request: HttpRequest | None = None) -> str:
    """The data version, the release and the day: part of every key of what a page is
    drawn from. Read from the ETag already worked out for this request, or afresh."""
    known = getattr(request, "fragment_version", None)
    return known or f"{data_version()}-{release()}-{timezone.localdate():%Y%m%d}"


def fragment_key(version: str, *parts: object) -> str:
    """A key under `version`: `parts` told apart by repr() (so that None and "None" differ)."""
    text = "\n".join([version, *(repr(part) for part in parts)])
    return "kept:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def cached(request: HttpRequest | None, name: str, compute: Callable[[], Kept]) -> Kept:
    """What `compute` returns, kept under `name` and the fragment version."""
    key = fragment_key(fragment_version(request), name)
    # Kept in a tuple, so that a None (no chart, no council) is kept too.
    kept = shared.get(key)
    if kept is None:
        kept = (compute(),)
        shared.set(key, kept)
    return kept[0]


def cached_pieces(
    request: HttpRequest | None,
    pieces: Sequence[tuple[Hashable, Piece]],
    draw: Callable[[list[Piece]], list[Kept]],
) -> list[Kept]:
    """What `draw` makes of each (what decides it, piece) in `pieces`, in order: fetched
    together, and those missing drawn together (`draw` is given the missing pieces and
    returns what it makes of each, in the same order) and kept."""
    version = fragment_version(request)
    keys = [fragment_key(version, decides) for decides, _piece in pieces]
    kept = shared.get_many(keys)
    missing = {
        key: piece for key, (_decides, piece) in zip(keys, pieces, strict=True) if key not in kept
    }
    if missing:
        drawn = dict(zip(missing, draw(list(missing.values())), strict=True))
        shared.set_many(drawn)
        kept |= drawn
    return [kept[key] for key in keys]


def page_cache_key(request: HttpRequest) -> str:
    """The key of the rendered page, worked out once per request: the early middleware,
    the view's wrapper and the store after a render all ask for it."""
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
    """The page as rendered since the last change of data, by any worker."""
    kept = shared.get(page_cache_key(request)) if settings.PAGE_CACHE else None
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
            settings.PAGE_CACHE
            and response.status_code == 200
            and not response.streaming
            and not depends_on_the_visitor(response)
        ):
            content = (response.status_code, dict(response.items()), response.content)
            shared.set(page_cache_key(request), content)
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
    """Whether the view at `path` is a @cached_public_page view (the code decides, so
    each worker may remember it)."""
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
