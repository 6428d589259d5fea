"""Charts drawn on the server as SVG geometry: a council's overall grade over time, and
the spread of councils' grades over England and its regions. Each is shown with a table
of the same figures."""

from dataclasses import dataclass

from .choices import Grade
from .councils import SpreadRow
from .models import Judgement

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 170, 30, 20, 40


def coordinate(value: float) -> str:
    """An SVG coordinate to one decimal place, formatted here rather than in the template."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    grade_label: str
    date_label: str
    url: str

    @property
    def cx(self) -> str:
        return coordinate(self.x)

    @property
    def cy(self) -> str:
        return coordinate(self.y)


@dataclass(frozen=True)
class GradeChart:
    points: list[Point]
    rows: list[tuple[str, str]]  # (y, grade label)
    years: list[tuple[str, int]]  # (x, year)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.cx},{p.cy}" for p in self.points)


def grade_chart(judgements: list[Judgement]) -> GradeChart | None:
    """The chart of `judgements` (overall judgements, oldest first), or None if none."""
    if not judgements:
        return None
    first = judgements[0].event.start_date.year
    last = max(judgements[-1].event.start_date.year, first + 1)
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM

    def x_for(year_fraction: float) -> float:
        return LEFT + (year_fraction - first) / (last - first) * span_x

    def y_for(rank: int) -> float:
        return TOP + (4 - rank) / 3 * span_y

    points = []
    for judgement in judgements:
        event = judgement.event
        when = event.start_date.year + (event.start_date.month - 1) / 12
        points.append(
            Point(
                x=x_for(when),
                y=y_for(Grade.rank(judgement.grade)),
                label=event.title,
                grade_label=judgement.get_grade_display(),
                date_label=event.dates_display,
                url=event.get_absolute_url(),
            )
        )
    rows = [(coordinate(y_for(Grade.rank(grade))), grade.short_label) for grade in Grade]
    years = [(coordinate(x_for(year)), year) for year in range(first, last + 1)]
    return GradeChart(points=points, rows=rows, years=years)


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
