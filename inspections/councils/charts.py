"""Charts drawn on the server as SVG geometry: a council's overall grade over time, and
the spread of councils' grades over England and its regions. Each is shown with a table
of the same figures."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..choices import Grade
from ..models import Event, Judgement
from .grades import SpreadRow

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 170, 30, 20, 40


def coordinate(value: float) -> str:
    """An SVG coordinate to one decimal place, formatted here rather than in the template."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Layout:
    """One drawing of the chart. The SVG scales to its box, text with it: a phone gets a
    drawing of its own, about as wide as its screen, so that the labels stay legible."""

    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    labels_above: bool  # each grade's label above its line, not to its left
    radius: int
    most_years: int  # more years than this are labelled every other year


WIDE = Layout("wide", WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, False, 7, 20)
NARROW = Layout("narrow", 340, 250, 22, 22, 36, 36, True, 6, 6)


@dataclass(frozen=True)
class Point:
    label: str
    grade_label: str
    date_label: str
    url: str
    year_stated: bool


@dataclass(frozen=True)
class DrawnPoint:
    cx: str
    cy: str
    # Where the source does not state the year: the span of its possible years.
    span_x1: str = ""
    span_x2: str = ""


@dataclass(frozen=True)
class Drawing:
    layout: Layout
    points: list[DrawnPoint]
    rows: list[tuple[str, str, str, str]]  # (line y, label x, label y, grade label)
    years: list[tuple[str, int]]  # (x, year)
    polyline: str  # through the dated points only

    @property
    def plot_left(self) -> int:
        return self.layout.left

    @property
    def plot_right(self) -> int:
        return self.layout.width - self.layout.right

    @property
    def year_y(self) -> int:
        return self.layout.height - self.layout.bottom + 24

    @property
    def row_anchor(self) -> str:
        return "start" if self.layout.labels_above else "end"


@dataclass(frozen=True)
class GradeChart:
    points: list[Point]
    drawings: list[Drawing]

    @property
    def has_unstated_year(self) -> bool:
        return not all(point.year_stated for point in self.points)

    @property
    def svgs(self) -> list[SafeString]:
        """Each drawing as SVG markup."""
        return [svg(drawing, self.points) for drawing in self.drawings]


# The SVG is written here rather than in a template: a council's first visit after a
# change of data draws it, and a template took about ten times as long (measured in
# bench/README.md). The markup is what grade_chart.html drew, space for space.
SVG_OPEN = (
    '\n  <svg class="app-chart__svg app-chart__svg--{name}" viewBox="0 0 {width} {height}" '
    'role="img" aria-labelledby="grade-chart-title grade-chart-desc-{name}" focusable="false">'
    '\n    <desc id="grade-chart-desc-{name}">{desc}</desc>\n    '
)
SVG_GRID = '\n    <line class="app-chart__grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>\n    '
SVG_YEAR = (
    '\n    <text class="app-chart__year" x="{x}" y="{y}" text-anchor="middle">{year}</text>\n    '
)
SVG_LINE = '\n    <polyline class="app-chart__line" points="{points}" fill="none"/>\n    '
SVG_POINT = '\n    \n    <circle class="app-chart__point" cx="{cx}" cy="{cy}" r="{r}"/>\n    \n    '
SVG_UNSTATED_POINT = (
    '\n    \n    <line class="app-chart__span" x1="{x1}" x2="{x2}" y1="{cy}" y2="{cy}"/>'
    '\n    <circle class="app-chart__point app-chart__point--year-unstated" cx="{cx}" cy="{cy}" '
    'r="{r}"/>\n    <text class="app-chart__unstated-label" x="{cx}" y="{cy}" dy="-12" '
    'text-anchor="middle">year not stated</text>\n    \n    '
)
# The grades' labels last, haloed, so that the line never runs over them.
SVG_ROW_LABEL = (
    '\n    <text class="app-chart__row-label" x="{x}" y="{y}" text-anchor="{anchor}"{baseline}>'
    "{label}</text>\n    "
)
SVG_CLOSE = "\n  </svg>\n  "


def svg(drawing: Drawing, points: list[Point]) -> SafeString:
    """One drawing of the chart, described in words by `points` for screen readers."""
    layout = drawing.layout
    desc = " ".join(f"{p.label}, {p.date_label}: {p.grade_label}." for p in points)
    parts = [
        SVG_OPEN.format(
            name=escape(layout.name), width=layout.width, height=layout.height, desc=escape(desc)
        )
    ]
    for line_y, _x, _y, _label in drawing.rows:
        parts.append(SVG_GRID.format(left=drawing.plot_left, right=drawing.plot_right, y=line_y))
    parts.append("\n    ")
    for x, year in drawing.years:
        parts.append(SVG_YEAR.format(x=x, y=drawing.year_y, year=year))
    parts.append(SVG_LINE.format(points=drawing.polyline))
    for point in drawing.points:
        shape = SVG_UNSTATED_POINT if point.span_x1 else SVG_POINT
        parts.append(
            shape.format(
                cx=point.cx, cy=point.cy, x1=point.span_x1, x2=point.span_x2, r=layout.radius
            )
        )
    parts.append("\n    \n    ")
    baseline = "" if layout.labels_above else ' dominant-baseline="middle"'
    for _y, label_x, label_y, label in drawing.rows:
        parts.append(
            SVG_ROW_LABEL.format(
                x=label_x,
                y=label_y,
                anchor=drawing.row_anchor,
                baseline=baseline,
                label=escape(label),
            )
        )
    parts.append(SVG_CLOSE)
    return mark_safe("".join(parts))  # every text in it is escaped above


def grade_chart(judgements: list[Judgement]) -> GradeChart | None:
    """The chart of `judgements` (overall judgements, oldest first), or None if none."""
    if not judgements:
        return None
    events = [judgement.event for judgement in judgements]
    first = min(event.possible_years[0] or event.start_date.year for event in events)
    last = max(max(event.start_date.year for event in events), first + 1)
    points = [
        Point(
            label=judgement.event.title,
            grade_label=judgement.get_grade_display(),
            date_label=chart_date(judgement.event),
            url=judgement.event.get_absolute_url(),
            year_stated=judgement.event.year_is_stated,
        )
        for judgement in judgements
    ]
    drawings = [draw(judgements, layout, first, last) for layout in (WIDE, NARROW)]
    return GradeChart(points=points, drawings=drawings)


def chart_date(event: Event) -> str:
    """When, as the table beside the chart says it: with the possible years where the
    source does not state the year."""
    if event.year_is_stated:
        return event.dates_display
    return f"{event.dates_display}; possible years {event.possible_years_display}"


def draw(judgements: list[Judgement], layout: Layout, first: int, last: int) -> Drawing:
    span_x = layout.width - layout.left - layout.right
    span_y = layout.height - layout.top - layout.bottom

    def x_for(year_fraction: float) -> float:
        return layout.left + (year_fraction - first) / (last - first) * span_x

    def y_for(rank: int) -> float:
        return layout.top + (4 - rank) / 3 * span_y

    drawn, dated = [], []
    for judgement in judgements:
        event = judgement.event
        x = x_for(event.start_date.year + (event.start_date.month - 1) / 12)
        y = y_for(Grade.rank(judgement.grade))
        if event.year_is_stated:
            drawn.append(DrawnPoint(coordinate(x), coordinate(y)))
            dated.append(f"{coordinate(x)},{coordinate(y)}")
            continue
        earliest, latest = event.possible_years
        month = (event.start_date.month - 1) / 12
        drawn.append(
            DrawnPoint(
                coordinate(x),
                coordinate(y),
                span_x1=coordinate(x_for((earliest or first) + month)),
                span_x2=coordinate(x_for(latest + month)),
            )
        )
    rows = []
    for grade in Grade:
        y = y_for(Grade.rank(grade))
        label_x, label_y = (layout.left, y - 10) if layout.labels_above else (layout.left - 10, y)
        rows.append((coordinate(y), str(label_x), coordinate(label_y), grade.short_label))
    step = 1 if last - first < layout.most_years else 2
    years = [(coordinate(x_for(year)), year) for year in range(last, first - 1, -step)][::-1]
    return Drawing(layout, drawn, rows, years, " ".join(dated))


SPREAD_WIDTH, SPREAD_LABELS, BAR_HEIGHT, BAR_GAP = 480, 190, 24, 8
# A segment narrower than this has no room for its count (the table beside has it).
SEGMENT_LABEL_MIN = 22


@dataclass(frozen=True)
class Segment:
    css: str  # the grade's value, or "none" for councils not yet inspected
    x: str
    width: str
    count: int
    label_x: str
    labelled: bool


@dataclass(frozen=True)
class Bar:
    label: str
    y: str
    middle: str
    segments: list[Segment]


@dataclass(frozen=True)
class SpreadChart:
    bars: list[Bar]
    width: int = SPREAD_WIDTH
    height: int = 0
    bar_left: int = SPREAD_LABELS
    bar_height: int = BAR_HEIGHT


def spread_chart(rows: list[SpreadRow]) -> SpreadChart | None:
    """One bar per row of grade_spread(), its length all the row's councils, split by
    overall grade (best first, then those not yet inspected); None with no councils."""
    if not rows or not rows[0].total:
        return None
    span = SPREAD_WIDTH - SPREAD_LABELS - 4
    bars = []
    for number, row in enumerate(rows):
        y = number * (BAR_HEIGHT + BAR_GAP)
        parts = [(grade.value, row.counts[grade]) for grade in Grade]
        parts.append(("none", row.not_inspected))
        segments, left = [], float(SPREAD_LABELS)
        for css, count in parts:
            if not count:
                continue
            width = span * count / row.total
            segments.append(
                Segment(
                    css=css,
                    x=coordinate(left),
                    width=coordinate(width),
                    count=count,
                    label_x=coordinate(left + width / 2),
                    labelled=width >= SEGMENT_LABEL_MIN,
                )
            )
            left += width
        bars.append(Bar(row.label, coordinate(y), coordinate(y + BAR_HEIGHT / 2), segments))
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    return SpreadChart(bars=bars, height=height)
