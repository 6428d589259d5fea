"""Project-wide middleware: requests no page could answer, refused before any view runs.

A NUL character (%00) in the query string cannot be stored or searched for: PostgreSQL
refuses to compare text holding one, so a search or filter holding it would fail deep
inside the database (the admin's search box and choosers included). Such a request gets
a 400 page in the site's design that says what is wrong. Form submissions are not
touched: their fields refuse NUL with a message beside the field, keeping the input.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

REASON = (
    "The part after the question mark holds a null character (written %00), "
    "which no search or filter can use."
)


class RefuseNulInQueryStringMiddleware:
    """A 400 page in the site's design for a query string holding a null character."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return render(request, "400.html", {"reason": REASON}, status=400)
        return self.get_response(request)
