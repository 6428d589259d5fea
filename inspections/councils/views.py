"""Public pages about every council: the list with the spread of grades, and one council
beside its statistical neighbours (as a page, CSV and JSON). Thin views over
inspections/councils/grades.py and inspections/councils/comparisons.py."""

import operator
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import (
    cached,
    cached_pieces,
    cached_public_page,
    fragment_key,
    fragment_version,
    shared,
)

from ..choices import AuthorityStatus
from ..models import LocalAuthority
from ..web.fragments import drawn_fields
from ..web.pagination import paginate
from ..web.requests import HtmxHttpRequest
from . import exports as comparison_exports
from .charts import spread_chart
from .chosen import cached_council, chosen_council
from .comparisons import (
    NEIGHBOURS_SOURCE,
    OGL,
    Basis,
    Climb,
    Comparison,
    ComparisonHistoryRow,
    CouncilRecord,
    compare,
    compare_with,
    comparison_basis,
    ilacs_histories,
    statistical_neighbours,
)
from .filters import CouncilFilters, CouncilTable, council_table
from .grades import TABLE_AREAS, CouncilGrades, citations, grade_spread, latest_grades
from .side_by_side import SideBySideForm, graded_inspections, side_by_side

LATEST = "inspections/councils/partials/compare_latest.html"
HISTORY = "inspections/councils/partials/compare_history.html"
CLIMBS = "inspections/councils/partials/compare_climbs.html"
TABLE_ROWS = ("latest_rows", "history_rows", "climb_rows")
# England has 153 councils: one page. Only synthetic data has more.
COUNCILS_PAGE_SIZE = 160


@require_safe
@cached_public_page
def council_list(request: HtmxHttpRequest) -> HttpResponse:
    # What the filters look at, each row of the table and every order are kept under the
    # data version, and so are the spread and the sources cited: a filter combination or
    # an order nobody has asked for is chosen in one pass over plain values, with no query.
    table = cached(request, "councils:table", lambda: drawn_table(request))
    filters = CouncilFilters(request.GET)
    pagination = paginate(request, filters.councils(table), COUNCILS_PAGE_SIZE)
    context = {
        "filters": filters,
        # The rows of the page as one piece of markup: the template adds nothing between.
        "council_rows": mark_safe("".join(c.row for c in pagination.page.object_list)),
        "pagination": pagination,
        # Lazy: the headings are drawn into a fragment kept by the query string, which
        # decides their links, so they are only worked out when that is drawn.
        "columns": SimpleLazyObject(lambda: filters.columns(request.GET)),
        "areas": TABLE_AREAS,
        "current_count": len(table.councils),
    }
    if request.htmx:
        return render(request, "inspections/councils/list.html#results", context)
    # Lazy: the spread and the sources are drawn into kept fragments of the template, so
    # they are only worked out (or fetched) when those are drawn.
    extras = SimpleLazyObject(
        lambda: cached(
            request, "councils:spread", lambda: spread_and_sources(kept_latest_grades(request))
        )
    )
    for name in ("spread", "spread_chart", "former", "citations"):
        context[name] = SimpleLazyObject(partial(operator.getitem, extras, name))
    context["filter_fields"] = drawn_fields(request, filters.visible_fields())
    return render(request, "inspections/councils/list.html", context)


def kept_latest_grades(request: HttpRequest) -> list[CouncilGrades]:
    """Every council's latest grades, by name, kept under the data version: the councils
    page and every council's comparison read them."""
    return cached(
        request, "councils:latest", lambda: latest_grades(LocalAuthority.objects.order_by("name"))
    )


def spread_and_sources(everyone: list[CouncilGrades]) -> dict:
    """The spread of the current councils' grades, the former councils, and the sources
    of every council's grades."""
    current = [c for c in everyone if c.authority.status == AuthorityStatus.CURRENT]
    spread = grade_spread(current)
    return {
        "spread": spread,
        "spread_chart": spread_chart(spread),
        "former": [c for c in everyone if c.authority.status != AuthorityStatus.CURRENT],
        "citations": citations(c.source_ids for c in everyone),
    }


def drawn_table(request: HttpRequest) -> CouncilTable:
    """The current councils as the list shows them, each row drawn from the template's
    council-row partial."""
    row = get_template("inspections/councils/list.html#council-row")
    current = [
        c for c in kept_latest_grades(request) if c.authority.status == AuthorityStatus.CURRENT
    ]
    return council_table(current, lambda council: row.render({"council": council}))


@require_safe
@cached_public_page
def council_compare(request: HttpRequest, slug: str) -> HttpResponse:
    council = cached_council(request, slug)
    # Worked out only to draw the tables, which are a kept fragment until the data change.
    comparison = SimpleLazyObject(lambda: cached_comparison(request, council))
    context = {
        "authority": council,
        "comparison": comparison,
        "produced_on": timezone.localdate(),
        "areas": TABLE_AREAS,
        "neighbours_source": NEIGHBOURS_SOURCE,
        "ogl": OGL,
        **lazy_table_rows(request, comparison),
    }
    return render(request, "inspections/councils/compare.html", context)


def cached_comparison(request: HttpRequest, council: LocalAuthority) -> Comparison:
    """compare(council), from comparison_basis() kept in the shared cache: what every
    comparison shares under one key, and each council's record under its own, so that a
    comparison fetches its council's record and its neighbours' rather than everyone's."""

    def key(part: object) -> str:
        return fragment_key(fragment_version(request), "comparison", part)

    def work_out_all() -> tuple[Basis, dict[int, CouncilRecord]]:
        histories = cached(request, "councils:ilacs-histories", ilacs_histories)
        everyone = kept_latest_grades(request)
        basis, records = comparison_basis(everyone, histories, statistical_neighbours())
        shared.set_many({key(pk): record for pk, record in records.items()} | {key("basis"): basis})
        return basis, records

    kept = shared.get_many([key("basis"), key(council.pk)])
    if len(kept) < 2:
        return compare_with(council, *work_out_all())
    own: CouncilRecord = kept[key(council.pk)]
    wanted = {pk: key(pk) for pk, _rank, _code in own.neighbours}
    neighbours = shared.get_many(list(wanted.values()))
    if len(neighbours) < len(wanted):
        return compare_with(council, *work_out_all())
    records = {council.pk: own} | {pk: neighbours[k] for pk, k in wanted.items()}
    return compare_with(council, kept[key("basis")], records)


def drawn_council_rows(council: CouncilGrades, history: ComparisonHistoryRow, climbs: list[Climb]):
    """A council's pieces of a comparison's tables, the same on its own comparison and on
    every one it is a neighbour in: its link and cells of latest grades, its row of
    overall grades by year, and its spells judged inadequate."""
    own = [climb for climb in climbs if climb.council.authority.pk == council.authority.pk]
    return (
        str(get_template(f"{LATEST}#council-link").render({"row": council})),
        str(get_template(f"{LATEST}#council-cells").render({"row": council})),
        str(get_template(f"{HISTORY}#council-years").render({"row": history})),
        str(get_template(f"{CLIMBS}#council-climbs").render({"climbs": own})),
    )


def table_rows(request: HttpRequest, comparison: Comparison) -> dict[str, list]:
    """Each table's rows as the compare partials loop over them: (relation, council's
    link, its cells) for the latest grades, each council's drawn row of overall grades,
    and each council's drawn spells, in the comparison's order; kept per council."""
    shown = zip(comparison.councils, comparison.history, strict=True)
    drawn = cached_pieces(
        request,
        [(("compare-rows", council.authority.pk), (council, row)) for council, row in shown],
        lambda missing: [drawn_council_rows(*pair, comparison.climbs) for pair in missing],
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
    """table_rows(), worked out only when the template asks: not at all when the tables
    are themselves a kept fragment."""
    rows = SimpleLazyObject(lambda: table_rows(request, comparison))
    return {name: SimpleLazyObject(partial(operator.getitem, rows, name)) for name in TABLE_ROWS}


@require_safe
@cached_public_page
def council_compare_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return comparison_exports.as_csv(request, compare(chosen_council(slug)))


@require_safe
@cached_public_page
def council_compare_json(request: HttpRequest, slug: str) -> HttpResponse:
    return comparison_exports.as_json(request, compare(chosen_council(slug)))


@require_safe
@cached_public_page
def council_side_by_side(request: HttpRequest, slug: str) -> HttpResponse:
    """Two graded inspections of a council, area by area, printable."""
    council = chosen_council(slug)
    form = SideBySideForm(request.GET or None, graded_inspections(council))
    pair = form.pair()
    rows, sources = side_by_side(*pair) if pair else ([], [])
    context = {
        "council": council,
        "form": form,
        "pair": pair,
        "rows": rows,
        "sources": sources,
        "authority_names": council.name,
        "produced_on": timezone.localdate(),
    }
    return render(request, "inspections/councils/side_by_side.html", context)
