"""First visits, in process: every address of `run.py --distinct-load` once, in its order
(every council's timeline, then every council's comparison, then the timelines under
each filter combination), as one gunicorn worker meets them after a change of data, with
the page cache off; the median CPU time of each kind of address.

    .venv/bin/python bench/first_visits.py --database-url postgres://postgres@127.0.0.1:5433/perf_bench

The database is used as it is: fill it first (profile_render.py --fill 100).
"""

import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.profile_render import configure, parse_args, wsgi_get  # noqa: E402


def kind_of(path: str) -> str:
    if "compare" in path:
        return "comparison"
    return "filtered timeline" if "?" in path else "timeline"


def main(argv=None) -> int:
    args = parse_args(argv, top=0)  # --top N: also profile each kind of visit
    args.fill = None
    with tempfile.TemporaryDirectory(prefix="first-visits-") as workdir:
        configure(args, Path(workdir) / "static")
        import django

        django.setup()
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        from bench.run import distinct_paths

        call_command("collectstatic", "--noinput", verbosity=0)
        application = get_wsgi_application()
        paths = distinct_paths()
        wsgi_get(application, "/healthz")  # the connection opened, the release hashed
        cpu: dict[str, list[float]] = {}
        profiles: dict[str, cProfile.Profile] = {}
        for path in paths:
            profiler = profiles.setdefault(kind_of(path), cProfile.Profile())
            start = time.process_time()
            if args.top:
                profiler.enable()
            status, _body = wsgi_get(application, path)
            if args.top:
                profiler.disable()
            cpu.setdefault(kind_of(path), []).append((time.process_time() - start) * 1000)
            if not status.startswith("200"):
                sys.exit(f"{path}: {status}")
    for kind, times in cpu.items():
        print(
            f"{kind:<18} {len(times):4} first visits, CPU median {statistics.median(times):6.2f} ms"
        )
    for kind, profiler in profiles.items() if args.top else ():
        print(f"\n{kind}: cProfile, {args.sort}")
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    total = sum(sum(times) for times in cpu.values())
    print(f"all {len(paths)}: {total / 1000:.1f} s of CPU, {total / len(paths):.2f} ms a visit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
