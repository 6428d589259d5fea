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
from django.utils.safestring import mark_safe

from ..web.fragments import kept_drawings
from .comparisons import Climb, Comparison, ComparisonHistoryRow
from .grades import CouncilGrades

LATEST = "inspections/councils/partials/compare_latest.html"
HISTORY = "inspections/councils/partials/compare_history.html"
CLIMBS = "inspections/councils/partials/compare_climbs.html"
ROWS = ("latest_rows", "history_rows", "climb_rows")


def draw(
    council: CouncilGrades, history: ComparisonHistoryRow, climbs: list[Climb]
) -> tuple[str, ...]:
    """A council's pieces: its link and its cells of latest grades, its row of overall
    grades by year, and its spells judged inadequate."""
    own = [climb for climb in climbs if climb.council.authority.pk == council.authority.pk]
    return (
        str(get_template(f"{LATEST}#council-link").render({"row": council})),
        str(get_template(f"{LATEST}#council-cells").render({"row": council})),
        str(get_template(f"{HISTORY}#council-years").render({"row": history})),
        str(get_template(f"{CLIMBS}#council-climbs").render({"climbs": own})),
    )


def table_rows(request: HttpRequest, comparison: Comparison) -> dict[str, list]:
    """Each table's rows as the compare partials loop over them: (relation, council's
    link, its cells) for the latest grades, the drawn row of each council's overall
    grades, and the drawn spells of each council, in the comparison's order. A council's
    pieces are kept together (one fetch for each council shown), the missing drawn."""
    shown = zip(comparison.councils, comparison.history, strict=True)
    drawn = kept_drawings(
        request,
        [(("compare-rows", council.authority.pk), (council, row)) for council, row in shown],
        lambda missing: [draw(*council_row, comparison.climbs) for council_row in missing],
    )
    pieces = [[mark_safe(piece) for piece in council_pieces] for council_pieces in drawn]
    relations = [relation for relation, _council in comparison.relations]
    return {
        "latest_rows": [
            (relation, link, cells)
            for relation, (link, cells, _years, _climbs) in zip(relations, pieces, strict=True)
        ],
        "history_rows": [years for _link, _cells, years, _climbs in pieces],
        "climb_rows": [climbs for _link, _cells, _years, climbs in pieces],
    }


def lazy_table_rows(request: HttpRequest, comparison: Comparison) -> dict[str, SimpleLazyObject]:
    """table_rows(), fetched (and the missing rows drawn) only when the template asks:
    not at all when the tables are themselves a kept fragment."""
    rows = SimpleLazyObject(lambda: table_rows(request, comparison))
    return {name: SimpleLazyObject(partial(operator.getitem, rows, name)) for name in ROWS}
