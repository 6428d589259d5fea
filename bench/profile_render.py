"""Where a render's time goes: render public pages N times in process through the WSGI
handler, with production settings and the page cache off, and print the CPU time per
render and cProfile's top entries for each page.

    .venv/bin/python bench/profile_render.py --fill 10 \
        --database-url postgres://postgres@127.0.0.1:5433/perf_bench
    .venv/bin/python bench/profile_render.py --renders 50 --top 25 /councils/

The database named must contain `bench` when --fill empties and fills it (bench/run.py's
data); without --fill it is used as it is (for instance after `manage.py seed`). Fragment
caching stays as configured (the shared cache: REDIS_URL or DJANGO_CACHE_DIR), so that the
figures are those of a visitor to an address nobody has seen since the last change.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv=None, top: int = 15) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="Addresses to render; default: the bench pages.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--fill", type=int, help="Empty the database and fill it to this size.")
    parser.add_argument("--renders", type=int, default=40, help="Renders per page.")
    parser.add_argument("--top", type=int, default=top, help="cProfile entries per page.")
    parser.add_argument(
        "--sort", default="tottime", choices=["tottime", "cumulative"], help="cProfile order."
    )
    return parser.parse_args(argv)


def configure(args: argparse.Namespace, static_root: Path) -> None:
    """Production settings with every request rendering. Before Django is set up."""
    url = args.database_url or "sqlite:////tmp/perf.sqlite3"
    if args.fill and "bench" not in url.rstrip("/").rsplit("/", 1)[-1]:
        sys.exit("--fill empties the database: its name must contain 'bench'.")
    if url.startswith(("postgres://", "postgresql://")):
        from bench.run import create_postgres_database

        create_postgres_database(url)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_PAGE_CACHE": "false",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_SETTINGS_MODULE": "ofsted_tracker.settings",
        }
    )


def wsgi_get(application, path: str) -> tuple[str, bytes]:
    """One GET through the WSGI handler, as gunicorn would send it."""
    address, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": address,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    answer = {}

    def start_response(status, _headers, _exc_info=None):
        answer["status"] = status

    body = b"".join(application(environ, start_response))
    return answer["status"], body


def default_paths() -> list[str]:
    from bench.run import pages

    return [url for url in pages().values() if url is not None]


# (label, end of the file name, function): cumulative time per render. They overlap: a
# lazy QuerySet runs its SQL inside the template, an include inside the render.
PARTS = [
    ("whole request (WSGI handler)", "django/core/handlers/wsgi.py", "__call__"),
    ("the view, template included", "django/core/handlers/base.py", "_get_response"),
    ("template render", "django/template/base.py", "render", 166),
    ("  {% include %}", "django/template/loader_tags.py", "render", 176),
    ("  {% for %}", "django/template/defaulttags.py", "render", 188),
    ("  variable lookups", "django/template/base.py", "_resolve_lookup"),
    ("  inspection_tags (grade, dates)", "inspections/templatetags/inspection_tags.py", None),
    ("  form fields and widgets", "django/forms/boundfield.py", "as_widget"),
    ("  date filter", "django/template/defaultfilters.py", "date"),
    ("  reverse() and {% url %}", "django/urls/base.py", "reverse"),
    ("SQL (execute, with the wait for the database)", "django/db/backends/utils.py", "_execute"),
    ("model instances from rows", "django/db/models/base.py", "from_db"),
    ("ETag and data version", "ofsted_tracker/http_cache.py", "page_etag"),
    ("{% cache %} fragments", "django/templatetags/cache.py", "render"),
]


def breakdown(stats: pstats.Stats, renders: int) -> list[str]:
    lines = []
    for label, file_end, function, *line in PARTS:
        total = 0.0
        for (filename, lineno, name), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():
            if not filename.endswith(file_end) or (function and name != function):
                continue
            if line and lineno != line[0]:
                continue
            if function is None and name.startswith("<"):
                continue
            total += cumtime
        if total:
            lines.append(f"  {label:<48} {total / renders * 1000:7.2f} ms")
    return lines


def profile(application, path: str, renders: int, top: int, sort: str) -> str:
    for _ in range(3):  # templates loaded, connection open, release hashed
        status, _body = wsgi_get(application, path)
    if not status.startswith("200"):
        return f"{path}: {status}, skipped\n"
    cpu = []
    for _ in range(renders):
        start = time.process_time()
        wsgi_get(application, path)
        cpu.append((time.process_time() - start) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        wsgi_get(application, path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    parts = breakdown(stats, renders)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    head = (
        f"{path}: CPU per render median {statistics.median(cpu):.2f} ms, "
        f"min {min(cpu):.2f} ms ({renders} renders, not profiled)"
    )
    intro = "  profiled, per render (wall clock, inflated by cProfile; parts overlap):"
    return "\n".join([head, intro, *parts, *lines[-(top + 1) :], ""])


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-render-") as workdir:
        configure(args, Path(workdir) / "static")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("migrate", verbosity=0)
        if args.fill:
            from bench.run import load_data

            print(load_data(args.fill))
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        for path in args.paths or default_paths():
            print(profile(application, path, args.renders, args.top, args.sort))
    return 0


if __name__ == "__main__":
    sys.exit(main())
