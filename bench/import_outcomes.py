"""Benchmark the import of Ofsted's statistics (target: at most 5 s for the 2025 file).

Each round empties the database, loads the West Sussex fixture and the councils (as
`seed` does before the statistics), then times, in a fresh transaction each:

- reading the ODS alone (python-calamine and the checks, nothing written);
- the first import of the file (every event, judgement and link written and committed);
- importing the same file again (everything compared, nothing written);
- `manage.py import_ofsted_outcomes` as a user runs it (a new process: Django's start-up,
  the read and the first import);
- the whole `seed` command on an empty database.

The database named by --database-url is emptied: its name must contain "bench".

    python bench/import_outcomes.py                       # SQLite in a temp dir
    python bench/import_outcomes.py --database-url postgres://postgres@127.0.0.1:5432/ofsted_bench
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import configure_environment  # noqa: E402

TARGET_SECONDS = 5.0
OUTCOMES = ROOT / "fixtures" / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="Database to fill (its name must contain 'bench'); default: SQLite in a temp dir.",
    )
    parser.add_argument("--rounds", type=int, default=5)
    return parser.parse_args(argv)


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def one_round() -> dict:
    from django.core.management import call_command

    from inspections.official_data.council_import import import_council_files
    from inspections.official_data.ofsted_statistics import read_outcomes
    from inspections.official_data.outcomes_import import import_outcomes_file

    call_command("flush", "--noinput", verbosity=0)
    call_command("loaddata", "west_sussex", verbosity=0)
    import_council_files()
    read, _ = timed(lambda: read_outcomes(OUTCOMES))
    first, tally = timed(lambda: import_outcomes_file(OUTCOMES))
    again, rerun = timed(lambda: import_outcomes_file(OUTCOMES))
    assert not rerun.changed, "the second import changed something"
    call_command("flush", "--noinput", verbosity=0)
    seed, _ = timed(lambda: call_command("seed", stdout=io.StringIO()))
    call_command("flush", "--noinput", verbosity=0)
    call_command("loaddata", "west_sussex", verbosity=0)
    import_council_files()
    command = [sys.executable, str(ROOT / "manage.py"), "import_ofsted_outcomes", str(OUTCOMES)]
    process, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    return {
        "read": read,
        "import": first,
        "again": again,
        "process": process,
        "seed": seed,
        "events": tally.added["Events"],
        "judgements": tally.added["Judgements"],
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ofsted-bench-") as tmp:
        url = configure_environment(args, Path(tmp))
        import django
        from django.core.management import call_command

        django.setup()
        print(f"Database: {url.split('@')[-1]}")
        call_command("migrate", "--noinput", verbosity=0)
        rounds = [one_round() for _ in range(args.rounds)]
    first = rounds[0]
    print(
        f"{OUTCOMES.name}: {first['events']} events and {first['judgements']} judgements "
        f"added; {args.rounds} rounds, seconds (median / worst)"
    )
    for name, label in (
        ("read", "read the ODS only"),
        ("import", "first import"),
        ("again", "same file again"),
        ("process", "manage.py, end to end"),
        ("seed", "seed, empty database"),
    ):
        values = [r[name] for r in rounds]
        print(f"  {label:<22} {statistics.median(values):6.2f} / {max(values):6.2f}")
    worst = max(max(r["import"], r["process"]) for r in rounds)
    met = worst <= TARGET_SECONDS
    print(
        f"Target: import at most {TARGET_SECONDS:.0f} s, end to end: {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
