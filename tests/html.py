"""What a visitor meets on a page, read with the standard library's HTML parser.

Tests assert on the visible text, the headings, the links, the tables and the form
controls, as a reader (or a screen reader) meets them, rather than slicing raw HTML or
naming CSS classes: a change of markup that nobody would notice must not fail a test.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from django.http import HttpResponse

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# Never drawn on the page: the document's head, code, and an SVG's text for screen readers.
UNSEEN = frozenset({"head", "script", "style", "template", "title", "desc"})
# Text inside these runs on with the text around it; every other element is set apart.
INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "label"}
    | {"mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def words(text: str) -> str:
    """Text with its white space collapsed, as a browser shows it."""
    return " ".join(text.split())


class Element:
    """One element of the page, or the whole document (tag "#document")."""

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    # What a visitor sees -------------------------------------------------------------

    @property
    def text(self) -> str:
        """The visible text inside: no script, style or `hidden` element; white space
        collapsed. Visually hidden text is kept: a screen reader reads it with the link or
        heading it is in. (A `hidden` element's own text is its text once it is shown.)"""
        return words(self._raw_text())

    def _unseen(self) -> bool:
        return self.tag in UNSEEN or "hidden" in self.attrs

    def _raw_text(self) -> str:
        inner = "".join(
            child if isinstance(child, str) else "" if child._unseen() else child._raw_text()
            for child in self.children
        )
        return inner if self.tag in INLINE else f" {inner} "

    def contains(self, text: str) -> bool:
        return words(text) in self.text

    __contains__ = contains

    def count(self, text: str) -> int:
        return self.text.count(words(text))

    def headings(self, level: int | None = None) -> list[str]:
        """The text of every heading (of one level, if given), in page order."""
        tags = HEADINGS if level is None else (f"h{level}",)
        return [element.text for element in self.elements() if element.tag in tags]

    def section(self, heading: str) -> str:
        """The text under the first heading that reads `heading`, up to the next heading
        of the same or a higher rank."""
        parts: list[str] = []
        level = None
        for item in self._flow():
            if isinstance(item, Element):
                rank = int(item.tag[1])
                if level is None and item.text == words(heading):
                    level = rank
                    continue
                if level is not None and rank <= level:
                    break
                if level is not None:
                    parts.append(f" {item.text} ")
            elif level is not None:
                parts.append(item)
        assert level is not None, f"no heading {heading!r} in {self.headings()}"
        return words("".join(parts))

    def _flow(self) -> Iterator[Element | str]:
        """Headings and visible text in page order (a heading's own text is not repeated)."""
        if self._unseen():
            return
        if self.tag in HEADINGS:
            yield self
            return
        block = self.tag not in INLINE
        if block:
            yield " "
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._flow()
        if block:
            yield " "

    def links(self) -> list[tuple[str, str]]:
        """(text, href) of every link, in page order."""
        return [
            (a.text, a.attrs["href"]) for a in self.elements() if a.tag == "a" and "href" in a.attrs
        ]

    def table_rows(self, caption_or_heading: str) -> list[list[str]]:
        """The text of each cell, row by row (the header row first), of the table with this
        caption, or else of the first table after a heading that reads so."""
        wanted = words(caption_or_heading)
        last_heading = None
        for element in self.elements():
            if element.tag in HEADINGS:
                last_heading = element.text
            elif element.tag == "table":
                captions = [c.text for c in element.elements() if c.tag == "caption"]
                if wanted in captions or (not captions and last_heading == wanted):
                    return element.rows()
        raise AssertionError(f"no table with the caption or heading {caption_or_heading!r}")

    def rows(self) -> list[list[str]]:
        """The text of each cell of this table, row by row (the header row first)."""
        return [
            [cell.text for cell in row.elements() if cell.tag in ("th", "td")]
            for row in self.elements()
            if row.tag == "tr"
        ]

    # Finding elements ----------------------------------------------------------------

    def elements(self) -> Iterator[Element]:
        """Every element inside this one, in page order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def find_all(
        self, tag: str | None = None, *, text: str | None = None, **attrs
    ) -> list[Element]:
        """Elements by tag, visible text and attributes (aria_current="page" for
        aria-current; True for an attribute that only has to be there)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.elements()
            if (tag is None or element.tag == tag)
            and (text is None or element.text == words(text))
            and all(
                name in element.attrs if value is True else element.attrs.get(name) == value
                for name, value in wanted.items()
            )
        ]

    def find(self, tag: str | None = None, *, text: str | None = None, **attrs) -> Element:
        """The first element that matches, which must exist."""
        found = self.find_all(tag, text=text, **attrs)
        assert found, f"no {tag or 'element'} with text={text!r} and {attrs} on the page"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.find(id=element_id)

    def value(self, name: str) -> str:
        """What a browser would send for the form control called `name`."""
        control = next(
            (e for e in self.elements() if e.attrs.get("name") == name and e.tag != "meta"),
            None,
        )
        assert control is not None, f"no form control named {name!r}"
        if control.tag == "select":
            options = [o for o in control.elements() if o.tag == "option"]
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            return chosen[0].attrs.get("value", chosen[0].text) if chosen else ""
        if control.tag == "textarea":
            return "".join(c for c in control.children if isinstance(c, str)).removeprefix("\n")
        return control.attrs.get("value", "")


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def page_of(response: HttpResponse | str) -> Element:
    """The document in `response` (or in a string of HTML), ready to be read."""
    html = response if isinstance(response, str) else response.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def csv_rows(response) -> list[dict]:
    """A CSV download's rows as a spreadsheet reads them, header names as keys."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def title_of(response) -> str:
    """The page's title, as a browser's tab shows it."""
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return html.unescape(found[1]) if found else ""
