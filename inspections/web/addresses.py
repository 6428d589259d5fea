"""The addresses of records' public pages, each worked out once: a page links to the same
events many times (its items, the chart, "Where things stand"), and reverse() costs about
25 µs a call (measured in bench/README.md)."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def address(view_name: str, slug: str) -> str:
    """reverse(view_name, args=[slug]), kept for the URLconf and script prefix in use."""
    return kept_address(
        view_name, slug, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    )


@lru_cache(maxsize=16384)
def kept_address(view_name: str, slug: str, urlconf: str, _prefix: str) -> str:
    # The script prefix is part of the key because reverse() puts it in front.
    return reverse(view_name, args=[slug], urlconf=urlconf)
