"""Every public page of the site, found from the URL patterns, with real example URLs.

A page with a parameter needs an example: it is found from the records' own
get_absolute_url() (an event's page, a theme's page). A new pattern with a parameter
that no record links to makes `public_urls()` fail, naming it, so that the security,
fuzz and 503 tests cannot silently miss a page.
"""

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from .builders import generate

NAMESPACE = "inspections"


def build_site() -> None:
    """Two synthetic authorities with 15 years each, each the other's statistical
    neighbour: every kind of page has content."""
    generate(2, seed=7)


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry


def _examples() -> dict[str, str]:
    """url name -> an example path, from every record that has a page of its own."""
    from inspections.models import Event, LocalAuthority

    event = Event.objects.filter(kind="inspection").order_by("pk").first()
    council = LocalAuthority.objects.order_by("pk").first()
    # Pages about a record that are not its get_absolute_url().
    examples = {"event_summary": reverse(f"{NAMESPACE}:event_summary", args=[event.slug])}
    for name in (
        "council_compare",
        "council_compare_csv",
        "council_compare_json",
        "council_side_by_side",
        "council_recommendations",
        "council_recommendations_csv",
    ):
        examples[name] = reverse(f"{NAMESPACE}:{name}", args=[council.slug])
    for model in apps.get_app_config(NAMESPACE).get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for record in model.objects.order_by("pk")[:50]:
            path = record.get_absolute_url()
            match = resolve(path)
            if match.namespace == NAMESPACE:
                examples.setdefault(match.url_name, path)
    return examples


def public_urls() -> dict[str, str]:
    """{url name: path} for every page in the public namespace."""
    resolver = get_resolver()
    _app, public = resolver.namespace_dict[NAMESPACE]
    examples = _examples()
    urls = {}
    for pattern in _patterns(public.url_patterns):
        if not pattern.pattern.converters:
            urls[pattern.name] = reverse(f"{NAMESPACE}:{pattern.name}")
        elif pattern.name in examples:
            urls[pattern.name] = examples[pattern.name]
        else:
            raise AssertionError(
                f"No example URL for the public page {NAMESPACE}:{pattern.name}: give its "
                "records a get_absolute_url(), or add an example in tests/public_pages.py."
            )
    return urls
