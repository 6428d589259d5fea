"""How much a page weighs over the wire: its HTML and the CSS and JavaScript it links,
each gzipped as whitenoise serves them."""

import gzip
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

# Issue 12: each page's HTML, CSS and JavaScript at most 60 KB compressed.
MAX_PAGE_KB = 60


def compressed_kb(html: bytes) -> dict[str, float]:
    """{"html": KB, "<asset>": KB, ...} for the page and every stylesheet and script."""
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]* src="([^"]+)"', text)
    sizes = {"html": len(gzip.compress(html, 9)) / 1024}
    for url in assets:
        name = url.removeprefix("/" + settings.STATIC_URL.strip("/") + "/")
        found = finders.find(name)
        assert found, f"{url} is not a static file"
        sizes[name] = len(gzip.compress(Path(found).read_bytes(), 9)) / 1024
    return sizes
