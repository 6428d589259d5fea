"""Small pieces of markup used on every page, built in Python.

A grade or a date appears dozens of times on a page; an {% include %} for each cost
more than the rest of the timeline's markup together, so these are tags.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from inspections.choices import Grade
from inspections.models import Event, Judgement, Source
from inspections.timeline.summaries import SourceNumbers

register = template.Library()


@register.simple_tag
def grade(judgement: Judgement) -> SafeString:
    """A judgement's grade in words, in a tag coloured by grade (the words carry it in
    black and white)."""
    return format_html(
        '<strong class="govuk-tag app-grade app-grade--{}">{}</strong>',
        judgement.grade,
        judgement.get_grade_display(),
    )


@register.simple_tag
def event_dates(event: Event) -> SafeString:
    """When an event happened, as precisely as the sources say, in a <time> element."""
    return format_html(
        '<time datetime="{}">{}</time>', event.start_date.isoformat(), event.dates_display
    )


@register.simple_tag
def grade_value(grade: Grade) -> SafeString:
    """A grade in a narrow table cell: its short label ('Requires improvement') in the
    same coloured tag as grade()."""
    return format_html(
        '<strong class="govuk-tag app-grade app-grade--{}">{}</strong>',
        grade.value,
        grade.short_label,
    )


@register.simple_tag
def source_label(source: Source, link: bool = False) -> SafeString:
    """A source named the same way on every page (Source.label); with link=True, a link
    to its entry on the sources page."""
    if not link:
        return format_html("{}", source.label)
    return format_html(
        '<a class="govuk-link" href="{}#source-{}">{}</a>',
        reverse("inspections:sources"),
        source.pk,
        source.label,
    )


@register.simple_tag
def citation(numbers: SourceNumbers, source: Source, anchor: str = "cited-source") -> SafeString:
    """'[2]': the source's number on this page, linked to it in the numbered list of
    sources (items with ids `anchor`-1, -2, …), so a table or list of facts need not
    repeat a long title on every row."""
    number = numbers.cite(source)
    return format_html(
        '<a class="govuk-link app-cite" href="#{}-{}">'
        '<span class="govuk-visually-hidden">Source </span>[{}]</a>',
        anchor,
        number,
        number,
    )


@register.simple_tag
def theme_item_sources(event: Event) -> SourceNumbers:
    """The sources of an event's entry on a theme page (its `theme_findings` and
    `theme_figures`, from Event.objects.for_theme_page()), numbered in citing order."""
    numbers = SourceNumbers()
    numbers.add(fact.source for fact in [*event.theme_findings, *event.theme_figures])
    return numbers
