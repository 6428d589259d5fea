"""Pieces of the public pages drawn once and kept in each worker (issue 16): a timeline
item, a row of the councils table, a field of a filter form.

Each piece is kept in caches["fragments"] under the fragment version (the data version,
the release and the day: ofsted_tracker/http_cache.py) and what decides its markup, so a
page nobody has asked for since the last change is assembled from pieces drawn for other
addresses, and no piece outlives a change of data or of code. All of a page's pieces are
fetched at once, and those missing are drawn together (one query for all of them).
"""

import hashlib
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from django import forms
from django.core.cache import caches
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from ofsted_tracker.http_cache import fragment_version

FIELD_TEMPLATE = "inspections/partials/filter_field.html"

Piece = TypeVar("Piece")
Drawn = TypeVar("Drawn")


def fragment_key(version: str, *parts: object) -> str:
    """A key of caches["fragments"]: the fragment version and `parts`, told apart by
    repr() (so that None and "None" differ)."""
    text = "\n".join([version, *(repr(part) for part in parts)])
    return "kept:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def kept_pieces(
    request: HttpRequest,
    pieces: Sequence[tuple[Hashable, Piece]],
    draw: Callable[[list[Piece]], list[str]],
) -> list[SafeString]:
    """The markup of each (what decides its markup, piece) in `pieces`, in order: kept,
    or drawn by `draw` (given the missing pieces, their markup in the same order)."""
    return [mark_safe(markup) for markup in kept_drawings(request, pieces, draw)]


def kept_drawings(
    request: HttpRequest,
    pieces: Sequence[tuple[Hashable, Piece]],
    draw: Callable[[list[Piece]], list[Drawn]],
) -> list[Drawn]:
    """What `draw` makes of each (what decides it, piece) in `pieces`, in order: kept,
    or drawn (given the missing pieces, what it makes of each in the same order) all at
    once and kept."""
    version = fragment_version(request)
    fragments = caches["fragments"]
    keys = [fragment_key(version, decides) for decides, _piece in pieces]
    kept = fragments.get_many(keys)
    missing = {
        key: piece for key, (_decides, piece) in zip(keys, pieces, strict=True) if key not in kept
    }
    if missing:
        drawn = dict(zip(missing, draw(list(missing.values())), strict=True))
        fragments.set_many(drawn)
        kept |= drawn
    return [kept[key] for key in keys]


def drawn_fields(request: HttpRequest, fields: Sequence[forms.BoundField]) -> list[SafeString]:
    """Each of `fields` as partials/filter_field.html draws it. Its markup depends on the
    form, the field, what was typed in it and its errors (and the choices, which the
    data decide: in the fragment version)."""

    def draw(missing: list[forms.BoundField]) -> list[str]:
        template = get_template(FIELD_TEMPLATE)
        return [template.render({"field": field}) for field in missing]

    # The errors by their messages: str() would draw the error list through the form
    # renderer's template, even an empty one, for every field of every request.
    pieces = [
        (
            ("field", type(field.form).__qualname__, field.name, field.data, list(field.errors)),
            field,
        )
        for field in fields
    ]
    return kept_pieces(request, pieces, draw)
