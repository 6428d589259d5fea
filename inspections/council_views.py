"""Public pages about every council: the list with the spread of grades. Thin views over
inspections/councils.py."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ofsted_tracker.http_cache import cached_public_page

from .charts import spread_chart
from .choices import AuthorityStatus
from .council_filters import CouncilFilters
from .councils import TABLE_AREAS, citations, grade_spread, latest_grades
from .models import LocalAuthority
from .pagination import paginate
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
