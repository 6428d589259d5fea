"""The app's models, one module per part of the record; every name is re-exported here,
so `from inspections.models import Event` is the one way in.

- councils: the local authorities and their statistical neighbours
- sources: the reports and papers every fact cites, and the people quoted
- events: inspections, visits and plans; event_queries: what the pages ask of them;
  event_sources: the sources each draws on; judgements: the grades of an inspection
- facts: themes, findings, figures and statements
- tracking: recommendations followed through (links and status updates)
- rules: the rules that span rows, written once, that clean() and the seed call
- constraints: the rules' messages and the helpers that write them as constraints
- history: the change history every model keeps
"""

from .constraints import (
    DATE_PRECISION_RULE,
    EARLIEST_YEAR_RULE,
    ENDS_BEFORE_START,
    EVENT_CHANGE_BREAKS_TRACKING,
    FINDING_CHANGE_BREAKS_TRACKING,
    FINDING_KIND_MISSING,
    FINDING_TEXT_MISSING,
    FINDING_THEME_MISSING,
    FRAMEWORK_MISSING,
    FRAMEWORK_RULE,
    FULFILLED_BY_ITSELF,
    FULFILLED_NOT_HAPPENED,
    FULFILLED_NOT_PLANNED,
    FULFILLED_OTHER_COUNCIL,
    LINK_NOT_FORWARD,
    LINK_NOT_IMPROVEMENT,
    LINK_OTHER_COUNCIL,
    LINK_TO_ITSELF,
    LONGEST_FINDING,
    LONGEST_NOTE,
    LONGEST_STATEMENT,
    NUMBER_NOT_MONITORING,
    NUMBER_TAKEN,
    PERCENT_OUT_OF_RANGE,
    PUBLISHED_BEFORE_END,
    STATEMENT_TEXT_MISSING,
    TYPE_MISSING,
    UPDATE_BEFORE_ITEM,
    UPDATE_NOT_IMPROVEMENT,
    SlugNaturalKeyManager,
    at_most,
    in_choices,
    precision_field,
)
from .councils import (
    OFSTED_PROVIDER_URL,
    LocalAuthority,
    LocalAuthorityQuerySet,
    StatisticalNeighbour,
)
from .event_queries import EventQuerySet
from .event_sources import EventSource, EventSourceQuerySet
from .events import Event, Inspection, Visit
from .facts import (
    Figure,
    FigureQuerySet,
    Finding,
    FindingQuerySet,
    Statement,
    Theme,
    ThemeQuerySet,
)
from .history import BASELINE_REASON, ProxyAwareHistoricalRecords, is_tracked, record_baseline
from .judgements import Judgement, JudgementQuerySet
from .rules import event_change_error, finding_change_error
from .sources import Person, Source, SourceManager, SourceQuerySet
from .tracking import (
    IMPROVEMENTS_ONLY,
    LINK_REASON_MISSING,
    LINK_SOURCE_MISSING,
    LINK_TAKEN,
    UPDATE_DATE_MISSING,
    UPDATE_SOURCE_MISSING,
    UPDATE_STATUS_MISSING,
    ConcernLink,
    Recommendation,
    StatusUpdate,
)

__all__ = [
    "event_change_error",
    "finding_change_error",
    "BASELINE_REASON",
    "ConcernLink",
    "DATE_PRECISION_RULE",
    "EARLIEST_YEAR_RULE",
    "ENDS_BEFORE_START",
    "EVENT_CHANGE_BREAKS_TRACKING",
    "Event",
    "EventQuerySet",
    "EventSource",
    "EventSourceQuerySet",
    "FINDING_CHANGE_BREAKS_TRACKING",
    "FINDING_KIND_MISSING",
    "FINDING_TEXT_MISSING",
    "FINDING_THEME_MISSING",
    "FRAMEWORK_MISSING",
    "FRAMEWORK_RULE",
    "FULFILLED_BY_ITSELF",
    "FULFILLED_NOT_HAPPENED",
    "FULFILLED_NOT_PLANNED",
    "FULFILLED_OTHER_COUNCIL",
    "Figure",
    "FigureQuerySet",
    "Finding",
    "FindingQuerySet",
    "IMPROVEMENTS_ONLY",
    "Inspection",
    "Judgement",
    "JudgementQuerySet",
    "LINK_NOT_FORWARD",
    "LINK_NOT_IMPROVEMENT",
    "LINK_OTHER_COUNCIL",
    "LINK_REASON_MISSING",
    "LINK_SOURCE_MISSING",
    "LINK_TAKEN",
    "LINK_TO_ITSELF",
    "LONGEST_FINDING",
    "LONGEST_NOTE",
    "LONGEST_STATEMENT",
    "LocalAuthority",
    "LocalAuthorityQuerySet",
    "NUMBER_NOT_MONITORING",
    "NUMBER_TAKEN",
    "OFSTED_PROVIDER_URL",
    "PERCENT_OUT_OF_RANGE",
    "PUBLISHED_BEFORE_END",
    "Person",
    "ProxyAwareHistoricalRecords",
    "Recommendation",
    "STATEMENT_TEXT_MISSING",
    "TYPE_MISSING",
    "SlugNaturalKeyManager",
    "Source",
    "SourceManager",
    "SourceQuerySet",
    "Statement",
    "StatisticalNeighbour",
    "StatusUpdate",
    "Theme",
    "ThemeQuerySet",
    "UPDATE_BEFORE_ITEM",
    "UPDATE_DATE_MISSING",
    "UPDATE_NOT_IMPROVEMENT",
    "UPDATE_SOURCE_MISSING",
    "UPDATE_STATUS_MISSING",
    "Visit",
    "at_most",
    "in_choices",
    "is_tracked",
    "precision_field",
    "record_baseline",
]
