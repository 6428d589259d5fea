"""The rows of a comparison's tables, drawn once per council and kept in each worker
(issue 16). A council's latest grades, its overall grades year by year and its spells
judged inadequate read the same on its own comparison and on every comparison it is a
neighbour in, so a council's first comparison is mostly assembled from rows drawn for
other councils'. The markup stays in the compare_*.html partials, as named partials."""

import operator
from functools import partial

from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject

from .comparisons import Comparison
from .fragments import kept_pieces

LATEST = "inspections/partials/compare_latest.html"
HISTORY = "inspections/partials/compare_history.html"
CLIMBS = "inspections/partials/compare_climbs.html"
ROWS = ("latest_rows", "history_rows", "climb_rows")


def draw(missing: list[tuple[str, dict]]) -> list[str]:
    return [get_template(name).render(context) for name, context in missing]


def table_rows(request: HttpRequest, comparison: Comparison) -> dict[str, list]:
    """Each table's rows as the compare partials loop over them: (relation, council's
    link, its cells) for the latest grades, the drawn row of each council's overall
    grades, and the drawn spells of each council, in the comparison's order."""
    shown = comparison.councils
    pieces = []
    for council in shown:
        pk = council.authority.pk
        pieces.append((("compare-link", pk), (f"{LATEST}#council-link", {"row": council})))
        pieces.append((("compare-cells", pk), (f"{LATEST}#council-cells", {"row": council})))
    for row in comparison.history:
        pk = row.council.authority.pk
        pieces.append((("compare-years", pk), (f"{HISTORY}#council-years", {"row": row})))
    for council in shown:
        pk = council.authority.pk
        climbs = [c for c in comparison.climbs if c.council.authority.pk == pk]
        pieces.append((("compare-climbs", pk), (f"{CLIMBS}#council-climbs", {"climbs": climbs})))
    drawn = kept_pieces(request, pieces, draw)
    latest, history = drawn[: 2 * len(shown)], drawn[2 * len(shown) :]
    relations = [relation for relation, _council in comparison.relations]
    return {
        "latest_rows": list(zip(relations, latest[0::2], latest[1::2], strict=True)),
        "history_rows": history[: len(comparison.history)],
        "climb_rows": history[len(comparison.history) :],
    }


def lazy_table_rows(request: HttpRequest, comparison: Comparison) -> dict[str, SimpleLazyObject]:
    """table_rows(), fetched (and the missing rows drawn) only when the template asks:
    not at all when the tables are themselves a kept fragment."""
    rows = SimpleLazyObject(lambda: table_rows(request, comparison))
    return {name: SimpleLazyObject(partial(operator.getitem, rows, name)) for name in ROWS}
