"""The fixed vocabularies of Ofsted inspections, as TextChoices.

Kept apart from the models so that views, filters and tests import the
vocabulary without the models.
"""

from django.db import models


class Grade(models.TextChoices):
    """Ofsted's four-point scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"

    @classmethod
    def rank(cls, value: str) -> int:
        """4 for outstanding down to 1 for inadequate, for drawing the grade chart."""
        return {cls.OUTSTANDING: 4, cls.GOOD: 3, cls.REQUIRES_IMPROVEMENT: 2, cls.INADEQUATE: 1}[
            value
        ]

    @property
    def short_label(self) -> str:
        """The grade in a narrow table cell or on a chart: 'Requires improvement'."""
        return GRADE_SHORT_LABELS[self]


GRADE_SHORT_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
    Grade.INADEQUATE: "Inadequate",
}


class Framework(models.TextChoices):
    SIF = "sif", "Single Inspection Framework (2013 to 2017)"
    ILACS = "ilacs", "Inspecting local authority children's services (ILACS, from 2018)"


class InspectionType(models.TextChoices):
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"


class JudgementArea(models.TextChoices):
    """Areas judged, across both frameworks. The order is the order of a report."""

    OVERALL = "overall", "Overall effectiveness"
    HELP_AND_PROTECTION = (
        "help_and_protection",
        "The experiences and progress of children who need help and protection",
    )
    CHILDREN_IN_CARE_AND_CARE_LEAVERS = (
        "children_in_care_and_care_leavers",
        "The experiences and progress of children in care and care leavers",
    )
    CHILDREN_IN_CARE = "children_in_care", "The experiences and progress of children in care"
    CARE_LEAVERS = "care_leavers", "The experiences and progress of care leavers"
    LEADERSHIP = (
        "leadership",
        "The impact of leaders on social work practice with children and families",
    )
    SIF_HELP_AND_PROTECTION = "sif_help_and_protection", "Children who need help and protection"
    SIF_LOOKED_AFTER = (
        "sif_looked_after",
        "Children looked after and achieving permanence",
    )
    SIF_ADOPTION = "sif_adoption", "Adoption performance"
    SIF_CARE_LEAVERS = "sif_care_leavers", "Experiences and progress of care leavers"
    SIF_LEADERSHIP = "sif_leadership", "Leadership, management and governance"
    SIF_LSCB = "sif_lscb", "Effectiveness of the Local Safeguarding Children Board"

    @property
    def short_label(self) -> str:
        return AREA_SHORT_LABELS[self]


AREA_SHORT_LABELS = {
    JudgementArea.OVERALL: "Overall",
    JudgementArea.HELP_AND_PROTECTION: "Help and protection",
    JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS: "Children in care and care leavers",
    JudgementArea.CHILDREN_IN_CARE: "Children in care",
    JudgementArea.CARE_LEAVERS: "Care leavers",
    JudgementArea.LEADERSHIP: "Leaders",
    JudgementArea.SIF_HELP_AND_PROTECTION: "Help and protection (SIF)",
    JudgementArea.SIF_LOOKED_AFTER: "Looked after and permanence (SIF)",
    JudgementArea.SIF_ADOPTION: "Adoption (SIF)",
    JudgementArea.SIF_CARE_LEAVERS: "Care leavers (SIF)",
    JudgementArea.SIF_LEADERSHIP: "Leadership (SIF)",
    JudgementArea.SIF_LSCB: "LSCB (SIF)",
}

# The judgement areas a theme's findings speak to, by the theme's slug: a theme page shows
# the grade of the matching area beside an inspection's findings, since a strength on care
# leavers reads differently beside "inadequate". Before 2023 ILACS judged children in care
# and care leavers together, so that combined area matches both themes. Themes not listed
# cut across the areas (caseloads, quality assurance) and show no grade.
THEME_JUDGEMENT_AREAS: dict[str, tuple[JudgementArea, ...]] = {
    "care-leavers": (
        JudgementArea.CARE_LEAVERS,
        JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        JudgementArea.SIF_CARE_LEAVERS,
    ),
    "children-in-care": (
        JudgementArea.CHILDREN_IN_CARE,
        JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        JudgementArea.SIF_LOOKED_AFTER,
    ),
    "child-protection": (
        JudgementArea.HELP_AND_PROTECTION,
        JudgementArea.SIF_HELP_AND_PROTECTION,
    ),
    "leadership-and-governance": (JudgementArea.LEADERSHIP, JudgementArea.SIF_LEADERSHIP),
}

# The areas an admin is offered, one judgement row each, for a new inspection
# under each framework. ILACS has judged children in care and care leavers
# separately since January 2023.
FRAMEWORK_AREAS = {
    Framework.SIF: [
        JudgementArea.OVERALL,
        JudgementArea.SIF_HELP_AND_PROTECTION,
        JudgementArea.SIF_LOOKED_AFTER,
        JudgementArea.SIF_ADOPTION,
        JudgementArea.SIF_CARE_LEAVERS,
        JudgementArea.SIF_LEADERSHIP,
        JudgementArea.SIF_LSCB,
    ],
    Framework.ILACS: [
        JudgementArea.OVERALL,
        JudgementArea.HELP_AND_PROTECTION,
        JudgementArea.CHILDREN_IN_CARE,
        JudgementArea.CARE_LEAVERS,
        JudgementArea.LEADERSHIP,
    ],
}


class EventKind(models.TextChoices):
    INSPECTION = "inspection", "Graded inspection"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    STATUTORY_DIRECTION = "statutory_direction", "DfE statutory direction and commissioner"
    INTERVENTION_DECISION = "intervention_decision", "Decision on intervention"
    IMPROVEMENT_BOARD = "improvement_board", "Improvement board"
    IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan"
    DFE_REVIEW = "dfe_review", "Department for Education review"
    EXTERNAL_REVIEW = "external_review", "External review"
    SCRUTINY_MEETING = "scrutiny_meeting", "Scrutiny committee meeting"
    OFSTED_MEETING = "ofsted_meeting", "Meeting with Ofsted"

    @property
    def is_graded(self) -> bool:
        return self == EventKind.INSPECTION


OFSTED_VISIT_KINDS = frozenset(
    {EventKind.INSPECTION, EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT}
)


class EventStatus(models.TextChoices):
    HAPPENED = "happened", "Happened"
    PLANNED = "planned", "Planned"


class DatePrecision(models.TextChoices):
    """How much of a stored date the source actually states.

    The stored date is always a full date (it orders the timeline); the
    precision says which part of it is fact. A month is stored as its first
    day, a season as the first day of its first month, a year as 1 January.
    """

    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"
    YEAR = "year", "Year"
    MONTH_NO_YEAR = "month_no_year", "Month, year not stated"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    IMPROVEMENT = "improvement", "Area for improvement"
    ACTION = "action", "Action taken by the council"


class ConcernStatus(models.TextChoices):
    """Where a recommendation stands, as a later report, visit letter or council paper says."""

    RAISED = "raised", "Raised"
    PROGRESS = "progress", "Progress noted"
    ADDRESSED = "addressed", "Addressed"
    RAISED_AGAIN = "raised_again", "Raised again"


class FigureUnit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Per cent"
    POUNDS = "pounds", "Pounds sterling"


class FigureQualifier(models.TextChoices):
    EXACT = "exact", "Exactly"
    OVER = "over", "Over"
    ABOUT = "about", "About"


class SourceKind(models.TextChoices):
    NEWS = "news", "News report"
    PRESS_RELEASE = "press_release", "Council press release"
    BRIEFING = "briefing", "Council briefing"
    REPORT = "report", "Ofsted report"
    STATISTICS = "statistics", "Official statistics"


class Region(models.TextChoices):
    """England's nine regions, as the ONS and the DfE's lookups name them.

    Ofsted groups councils into eight regions of its own (North East with Yorkshire and
    the Humber); the site keeps the nine statistical ones that the lookups give.
    """

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE_AND_THE_HUMBER = "yorkshire_and_the_humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class AuthorityStatus(models.TextChoices):
    CURRENT = "current", "Current"
    NO_LONGER_EXISTS = "no_longer_exists", "No longer exists"


class Closeness(models.TextChoices):
    """How close a statistical neighbour is, in the Department for Education's words."""

    EXTREMELY_CLOSE = "extremely_close", "Extremely close"
    VERY_CLOSE = "very_close", "Very close"
    CLOSE = "close", "Close"
    SOMEWHAT_CLOSE = "somewhat_close", "Somewhat close"
    NOT_CLOSE = "not_close", "Not close"


FINDING_HEADINGS = {
    FindingKind.STRENGTH: "Strengths",
    FindingKind.IMPROVEMENT: "Areas for improvement",
    FindingKind.ACTION: "Actions taken by the council",
}
