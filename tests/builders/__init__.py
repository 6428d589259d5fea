"""The one builder of test data, shared by the tests and the benchmark.

- `records`: single records made for one test (a source, a theme, an event, a finding…);
- `copies`: the seed data made N times bigger, for query budgets at scale;
- `histories`: synthetic 15-year histories of many authorities (bench/generate.py).
"""

from .copies import multiply_seed_data
from .histories import YEARS, generate
from .records import (
    make_authority,
    make_event,
    make_figure,
    make_finding,
    make_inspection,
    make_judgement,
    make_link,
    make_recommendation,
    make_source,
    make_statement,
    make_theme,
    make_update,
)

__all__ = [
    "YEARS",
    "generate",
    "make_authority",
    "make_event",
    "make_figure",
    "make_finding",
    "make_inspection",
    "make_judgement",
    "make_link",
    "make_recommendation",
    "make_source",
    "make_statement",
    "make_theme",
    "make_update",
    "multiply_seed_data",
]
