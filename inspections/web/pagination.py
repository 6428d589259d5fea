"""Pages of a long list (the timeline with many councils), as GOV.UK pagination links."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the "…" between distant page numbers
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    page: Page
    links: list[PageLink]
    previous_url: str
    next_url: str


def paginate(request: HttpRequest, items, per_page: int) -> Pagination:
    """The page that `?page=` asks for. A page number that is not a number gives the first
    page and one past the end gives the last (Paginator.get_page), never an error."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))

    def url(number: int) -> str:
        query = request.GET.copy()
        if number == 1:
            query.pop("page", None)
        else:
            query["page"] = str(number)
        return f"?{query.urlencode()}" if query else request.path

    links = []
    if page.paginator.num_pages > 1:
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            if number == Paginator.ELLIPSIS:
                links.append(PageLink(None))
            else:
                links.append(PageLink(number, url(number), number == page.number))
    return Pagination(
        page=page,
        links=links,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )
