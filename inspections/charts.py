"""Charts drawn on the server as SVG geometry: a council's overall grade over time, and
the spread of councils' grades over England and its regions. Each is shown with a table
of the same figures."""

from dataclasses import dataclass

from .choices import Grade
from .councils import SpreadRow
from .models import Event, Judgement

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
