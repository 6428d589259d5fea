"""The overall grade over time, drawn on the server as SVG geometry."""

from dataclasses import dataclass

from .choices import Grade
from .models import Judgement

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 170, 30, 20, 40
CHART_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
    Grade.INADEQUATE: "Inadequate",
}


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
    rows = [(coordinate(y_for(Grade.rank(grade))), CHART_LABELS[grade]) for grade in Grade]
    years = [(coordinate(x_for(year)), year) for year in range(first, last + 1)]
    return GradeChart(points=points, rows=rows, years=years)
