"""Pieces of the public pages kept in the shared cache under the data version
(ofsted_tracker/http_cache.py): a timeline item, a field of a filter form. A page nobody
has asked for since the last change is assembled from pieces drawn for other addresses;
all of a page's pieces are fetched at once, and those missing drawn together."""

from collections.abc import Callable, Sequence

from django import forms
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from ofsted_tracker.http_cache import cached_pieces

from ..models import Event

FIELD_TEMPLATE = "inspections/partials/filter_field.html"
ITEM_TEMPLATE = "inspections/timeline/partials/timeline_item.html"


def drawn_fields(request: HttpRequest, fields: Sequence[forms.BoundField]) -> list[SafeString]:
    """Each of `fields` as partials/filter_field.html draws it. Its markup depends on the
    form, the field, what was typed in it and its errors (and the choices, which the
    data decide: in the version)."""

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
    return [mark_safe(markup) for markup in cached_pieces(request, pieces, draw)]


def timeline_items(
    request: HttpRequest, pks: list[int], read: Callable[[list[int]], dict[int, Event]]
) -> list[SafeString]:
    """The drawn timeline item of each event in `pks`, in that order; those not kept are
    drawn from the events `read` gives for them (as Event.objects.for_timeline() reads)."""

    def draw(missing: list[int]) -> list[str]:
        template = get_template(ITEM_TEMPLATE)
        events = read(missing)
        return [template.render({"event": events[pk]}) for pk in missing]

    pieces = [(("item", pk), pk) for pk in pks]
    return [mark_safe(markup) for markup in cached_pieces(request, pieces, draw)]
