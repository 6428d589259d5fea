"""The one builder of test data, shared by the tests and the benchmark.

- `records`: single records made for one test (a source, a theme, an event, a finding…);
- `copies`: the seed data made N times bigger, for query budgets at scale;
- `histories`: synthetic 15-year histories of many authorities (bench/generate.py).
"""

from .copies import multiply_seed_data
from .histories import YEARS, generate
from .records import (
    make_event,
    make_finding,
    make_inspection,
    make_judgement,
    make_source,
    make_theme,
)

__all__ = [
    "YEARS",
    "generate",
    "make_event",
    "make_finding",
    "make_inspection",
    "make_judgement",
    "make_source",
    "make_theme",
    "multiply_seed_data",
]
