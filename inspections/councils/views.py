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

from ofsted_tracker.http_cache import cached_public_page, kept_fragment

from ..choices import AuthorityStatus
from ..models import LocalAuthority
from ..timeline.views import HtmxHttpRequest
from ..web.fragments import drawn_fields
from ..web.pagination import paginate
from . import exports as comparison_exports
from .charts import spread_chart
from .chosen import chosen_council, kept_council
from .comparison_pieces import lazy_table_rows
from .comparisons import NEIGHBOURS_SOURCE, OGL, compare
from .filters import CouncilFilters, CouncilTable, council_table
from .grades import TABLE_AREAS, CouncilGrades, citations, grade_spread, latest_grades
from .kept_comparisons import kept_comparison
from .side_by_side import SideBySideForm, graded_inspections, side_by_side

# England has 153 councils: one page. Only synthetic data has more.
COUNCILS_PAGE_SIZE = 160


@require_safe
@cached_public_page
def council_list(request: HtmxHttpRequest) -> HttpResponse:
    # What the filters look at, each row of the table and every order are kept under the
    # data version, and so are the spread and the sources cited: a filter combination or
    # an order nobody has asked for is chosen in one pass over plain values, with no query.
    table = kept_fragment(request, "councils:table", lambda: drawn_table(request))
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
        lambda: kept_fragment(
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
    return kept_fragment(
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
    council = kept_council(request, slug)
    # Worked out only to draw the tables, which are a kept fragment until the data change:
    # from the kept records of the council and its neighbours and what every comparison
    # shares (kept_comparisons.py).
    comparison = SimpleLazyObject(
        lambda: kept_comparison(request, council, lambda: kept_latest_grades(request))
    )
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
