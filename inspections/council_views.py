"""Public pages about every council: the list with the spread of grades, and one council
beside its statistical neighbours (as a page, CSV and JSON). Thin views over
inspections/councils.py and inspections/comparisons.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached_public_page, kept_fragment

from . import comparison_exports
from .authorities import chosen_council
from .charts import spread_chart
from .choices import AuthorityStatus
from .comparisons import NEIGHBOURS_SOURCE, OGL, compare
from .council_filters import CouncilFilters
from .councils import TABLE_AREAS, citations, grade_spread, latest_grades
from .models import LocalAuthority
from .pagination import paginate
from .side_by_side import SideBySideForm, graded_inspections, side_by_side
from .views import HtmxHttpRequest

# England has 153 councils: one page. Only synthetic data has more.
COUNCILS_PAGE_SIZE = 160


@require_safe
@cached_public_page
def council_list(request: HtmxHttpRequest) -> HttpResponse:
    everyone = latest_grades(LocalAuthority.objects.order_by("name"))
    current = [c for c in everyone if c.authority.status == AuthorityStatus.CURRENT]
    filters = CouncilFilters(request.GET)
    pagination = paginate(request, filters.councils(current), COUNCILS_PAGE_SIZE)
    context = {
        "filters": filters,
        "councils": pagination.page.object_list,
        "pagination": pagination,
        "columns": filters.columns(request.GET),
        "areas": TABLE_AREAS,
        "current_count": len(current),
    }
    if request.htmx:
        return render(request, "inspections/council_list.html#results", context)
    spread = grade_spread(current)
    context |= {
        "spread": spread,
        "spread_chart": spread_chart(spread),
        "former": [c for c in everyone if c.authority.status != AuthorityStatus.CURRENT],
        "citations": citations(c.source_ids for c in everyone),
    }
    return render(request, "inspections/council_list.html", context)


@require_safe
@cached_public_page
def council_compare(request: HttpRequest, slug: str) -> HttpResponse:
    council = chosen_council(slug)
    # Every council's grades go into one comparison: kept until the data change, so that
    # each council's page does not work them all out again.
    comparison = kept_fragment(request, f"compare:{council.pk}", lambda: compare(council))
    context = {
        "comparison": comparison,
        "produced_on": timezone.localdate(),
        "areas": TABLE_AREAS,
        "neighbours_source": NEIGHBOURS_SOURCE,
        "ogl": OGL,
    }
    return render(request, "inspections/council_compare.html", context)


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
    return render(request, "inspections/side_by_side.html", context)
