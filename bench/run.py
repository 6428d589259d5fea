"""Benchmark the public pages at 1x, 10x and 100x the seed data.

For the timeline (one authority), an inspection's page, a theme page, the summary page
(skipped, with a message, while the site has none) and the home page (the timeline of
every council, first page of 50) it prints:

- SQL queries per page and in-process render time (median and 95th percentile), at
  every size: the queries must not grow with the data;
- HTTP requests per second under gunicorn with 2 workers (wrk, loopback only, bounded
  duration), for a fresh render and for a repeat visit that gets a 304, each divided by
  the requests per second for the same page's HTML served as a static file by whitenoise
  in the same gunicorn;
- the timeline's weight: its HTML, CSS and JavaScript, gzipped;

and, with --load, a 30-second, 50-connection run over all the pages that must give no
errors and no 5xx. Targets are checked and printed (bench/README.md has the figures).

The database named by --database-url is emptied and refilled: its name must contain
"bench". A PostgreSQL database is created if it does not exist.

    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/ofsted_bench
    python bench/run.py --factors 1 --requests 5 --duration 2     # quick, as CI runs it
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RENDER_MS = 30  # timeline median render, one authority, at 100x
TARGET_FRESH_RATIO = 0.3
TARGET_304_RATIO = 0.8
TARGET_WEIGHT_KB = 60
# At 100x with the page cache off: the six pages, each drawn afresh from shared fragments.
FRESH_PAGES = ("timeline", "home", "detail", "theme", "councils", "compare")
TARGET_FRESH_CPU_MS = 10
TARGET_FRESH_TO_STATIC = 0.1
TARGET_DISTINCT_RPS = 500
TARGET_DISTINCT_P99_MS = 100
WORKERS = 2
WRK_THREADS = 2
SEED_FIXTURE = ROOT / "fixtures" / "west_sussex.json"
# The seed data's size when the fixture is not there (yet): about 20 events.
SEED_EVENTS_WITHOUT_FIXTURE = 20
# The generator gives an authority about 13 events over 15 years; 100x the seed data
# is then about every English local authority.


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="Database to fill (its name must contain 'bench'); default: SQLite in a temp dir.",
    )
    parser.add_argument("--factors", default="1,10,100", help="Sizes, as multiples of the seed.")
    parser.add_argument("--requests", type=int, default=40, help="In-process renders per page.")
    parser.add_argument("--duration", type=int, default=3, help="Seconds per wrk run.")
    parser.add_argument("--rounds", type=int, default=5, help="wrk runs per measurement.")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections.")
    parser.add_argument("--no-http", action="store_true", help="Skip gunicorn and wrk.")
    parser.add_argument(
        "--load", action="store_true", help="Also the 30 s, 50-connection load run."
    )
    parser.add_argument("--load-duration", type=int, default=30)
    parser.add_argument("--load-connections", type=int, default=50)
    parser.add_argument(
        "--distinct-load",
        action="store_true",
        help="Also the load run over distinct addresses, page cache off, 30 s, 16 connections.",
    )
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Exit 1 when a target is missed (always exit 1 on errors, 5xx or a non-200 page).",
    )
    return parser.parse_args(argv)


def configure_environment(args, workdir: Path) -> str:
    """Production settings, on the bench database. Must run before Django is set up."""
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"The bench empties its database: {name!r} must contain 'bench'.")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_SETTINGS_MODULE": "ofsted_tracker.settings",
        }
    )
    if url.startswith(("postgres://", "postgresql://")):
        create_postgres_database(url)
    return url


class RedisServer:
    """A redis-server of the bench's own on a loopback port, in memory only, unless
    REDIS_URL names one already (as .ci/run does)."""

    def __init__(self, workdir: Path):
        self.process = None
        if os.environ.get("REDIS_URL"):
            return
        if not shutil.which("redis-server"):
            sys.exit("redis-server is not installed (apt-get install redis-server).")
        port = free_port()
        folder = workdir / "redis"
        folder.mkdir()
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port)]
        command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
                    return
            time.sleep(0.1)
        self.stop()
        sys.exit("redis-server did not start.")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def create_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# Data --------------------------------------------------------------------------------


def seed_event_count() -> int:
    from inspections.models import Event

    return Event.objects.count()


def load_data(factor: int) -> dict:
    """Empty the database, load the seed data, add synthetic authorities up to `factor`."""
    from django.core.management import call_command

    from inspections.models import Event, LocalAuthority
    from tests.builders import generate

    call_command("flush", "--noinput", verbosity=0)
    seed = SEED_FIXTURE.exists()
    if seed:
        call_command("loaddata", "west_sussex", verbosity=0)
    base = seed_event_count() if seed else SEED_EVENTS_WITHOUT_FIXTURE
    wanted = factor * base - (base if seed else 0)
    added = 0
    number = 1
    while added < wanted:
        # Add authorities in small steps until the database holds factor x the seed.
        step = max(1, round((wanted - added) / 13))
        counts = generate(step, seed=number, first_number=number)
        added += counts["events"]
        number += step
    events = Event.objects.count()
    return {
        "seed_fixture": seed,
        "authorities": LocalAuthority.objects.count(),
        "events": events,
        "multiple": round(events / base, 1),
    }


def pages() -> dict[str, str | None]:
    """The benchmarked pages for one authority, by name; None for a page the site lacks."""
    from django.urls import NoReverseMatch, reverse

    from inspections.choices import EventKind
    from inspections.models import Event, LocalAuthority, Theme
    from inspections.timeline.filters import TimelineFilters

    authority = (
        LocalAuthority.objects.exclude(slug__startswith="synthetic-").first()
        or LocalAuthority.objects.order_by("slug").first()
    )

    def optional(name: str, *args) -> str | None:
        try:
            return reverse(f"inspections:{name}", args=args)
        except NoReverseMatch:
            return None

    # One council's timeline: its own page where the site has one, else the filter.
    timeline = optional("council", authority.slug)
    if timeline is None:
        timeline = reverse("inspections:timeline")
        if "authority" in TimelineFilters.base_fields:
            timeline += f"?authority={authority.slug}"
    inspection = (
        Event.objects.filter(authority=authority, kind=EventKind.INSPECTION, status="happened")
        .order_by("-start_date")
        .first()
    )
    theme = Theme.objects.filter(slug="care-leavers").first() or Theme.objects.first()
    try:
        summary = reverse("inspections:summary")
    except NoReverseMatch:
        summary = None
    return {
        "timeline": timeline,
        "detail": inspection.get_absolute_url(),
        "theme": theme.get_absolute_url(),
        "summary": summary,
        # The home page: the site's own council's timeline (every council's events, in
        # pages of 50, before councils had pages of their own).
        "home": reverse("inspections:timeline"),
        # Every council's latest grades, and one council beside its neighbours.
        "councils": optional("councils"),
        "compare": optional("council_compare", authority.slug),
    }


def measure_in_process(urls: dict, requests: int) -> dict:
    """Every request renders, from the shared fragments: the page cache is off here (it
    is measured over HTTP)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    override_settings(PAGE_CACHE=False).enable()
    client = Client()
    results, timings, cpu = {}, {}, {}
    for name, url in urls.items():
        if url is None:
            continue
        for _ in range(3):  # warm templates, connections, the release hash
            response = client.get(url, secure=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        results[name] = {
            "url": url,
            "status": response.status_code,
            "queries": len(queries),  # before the next request resets the log
            "bytes": len(response.content),
            "html": response.content,
            "etag": response.get("ETag"),
        }
        timings[name], cpu[name] = [], []
    # The pages take turns, a few requests at a time, so that a burst of other load on
    # the (shared) machine falls on every page rather than on one.
    rounds = max(1, min(8, requests // 5))
    for done in range(rounds):
        batch = requests * (done + 1) // rounds - requests * done // rounds
        for name, result in results.items():
            for _ in range(batch):
                start, start_cpu = time.perf_counter(), time.process_time()
                client.get(result["url"], secure=True)
                timings[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - start_cpu) * 1000)
    for name, result in results.items():
        result["median_ms"] = round(statistics.median(timings[name]), 2)
        result["p95_ms"] = round(percentile(timings[name], 0.95), 2)
        # This process's CPU only: steadier than the wall clock on a busy machine, but
        # without the time PostgreSQL spends on the queries.
        result["cpu_median_ms"] = round(statistics.median(cpu[name]), 2)
    return results


def page_weight(html: bytes) -> dict:
    """The page's HTML, CSS and JavaScript, each gzipped as whitenoise serves them."""
    from django.conf import settings

    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]* src="([^"]+)"', text)
    sizes = {"html": len(gzip.compress(html, 9))}
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    for url in assets:
        path = Path(settings.STATIC_ROOT) / url.removeprefix(static_url)
        sizes[url.removeprefix(static_url)] = len(gzip.compress(path.read_bytes(), 9))
    return {"total_kb": round(sum(sizes.values()) / 1024, 1), "gzip_bytes": sizes}


# HTTP --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"X-Forwarded-Proto": "https", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Gunicorn:
    """The production gunicorn on a loopback port, stopped on exit."""

    def __init__(self, workdir: Path, **env):
        self.port = free_port()
        self.log = open(workdir / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        # The production settings (gunicorn.conf.py: 2 sync workers), on a free port.
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "ofsted_tracker.wsgi"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ | {"WEB_CONCURRENCY": str(WORKERS)} | env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/healthz")[0] == 200:
                    # One worker answers; the others may still be starting (compiling
                    # the templates: ofsted_tracker/worker_start.py). A run measures
                    # pages, not a worker's start.
                    self.wait_idle()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not start: see {self.log.name}")

    def worker_cpu_seconds(self) -> float:
        """User and system CPU time of the workers so far (not the master's, nor the
        database's): a measure of cost that other load on the machine does not disturb."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        total = 0
        for pid in children.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, timeout: float = 60) -> None:
        """Until the workers have finished what the last wrk run left queued."""
        deadline = time.monotonic() + timeout
        before = self.worker_cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.worker_cpu_seconds()
            if now - before < 0.02:
                return
            before = now

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def wrk(port: int, path: str, duration: int, connections: int, headers=(), script=None) -> dict:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
        "statuses": {},
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(n) for n in match.groups())
    for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.MULTILINE):
        result["statuses"][int(status)] = int(count)
    for name, value in re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.MULTILINE):
        result[f"latency_p{name}"] = value
    return result


LOAD_SCRIPT = """
-- Rotate over the pages, the threads taking turns: thread k of n asks for pages k, k+n,
-- k+2n, ..., so that every page is asked for once before any comes round again (with
-- each thread starting at the first page, every page was asked for twice at once).
-- Count every response's status in each thread.
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
function init(args) statuses = {}; counter = offset end
function request()
  local path = paths[counter %% #paths + 1]
  counter = counter + %(threads)d
  return wrk.format("GET", path, {["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %%d %%d\\n", status, count))
  end
end
"""


def measure_http(results: dict, workdir: Path, args) -> dict:
    """Requests per second for every page: its static copy, a first visit (served from the
    shared page cache after the first render), a repeat visit that gets a 304, and on a
    second gunicorn with the page cache off: a fresh render (from the shared fragments).

    The machine is small and shared, so each measurement is split into rounds that take
    turns; a ratio is the median of the ratios within each round.
    """
    from django.conf import settings

    static_dir = Path(settings.STATIC_ROOT) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    for name, result in results.items():
        (static_dir / f"{name}.html").write_bytes(result["html"])
    # Started after the copies exist: whitenoise indexes the static files when it starts.
    server = Gunicorn(workdir)
    # Every request renders the page.
    uncached = Gunicorn(workdir, DJANGO_PAGE_CACHE="false")
    http = {}
    try:
        for name, result in results.items():
            status, headers, body = fetch(server.port, result["url"])
            etag = headers.get("ETag")
            not_modified = fetch(server.port, result["url"], {"If-None-Match": etag or ""})[0]
            kinds = {
                "static": (server.port, f"/static/bench/{name}.html", []),
                "first_visit": (server.port, result["url"], []),
                "fresh": (uncached.port, result["url"], []),
                "304": (server.port, result["url"], [f"If-None-Match: {etag}"]),
            }
            rounds = {kind: [] for kind in kinds}
            cpu = {kind: [0.0, 0] for kind in kinds}
            errors = 0
            for _ in range(args.rounds):
                for kind, (port, path, headers) in kinds.items():
                    process = server if port == server.port else uncached
                    server.wait_idle()
                    uncached.wait_idle()
                    before = process.worker_cpu_seconds()
                    run = wrk(port, path, args.duration, args.connections, headers)
                    cpu[kind][0] += process.worker_cpu_seconds() - before
                    cpu[kind][1] += run["requests"]
                    rounds[kind].append(run["rps"])
                    errors += run["non_2xx_3xx"] + run["socket_errors"]
            entry = {
                "status": status,
                "same_html_as_in_process": body == result["html"],
                "304_status": not_modified,
                "errors": errors,
            }
            for kind, values in rounds.items():
                entry[f"{kind}_rps"] = round(statistics.median(values))
                seconds, requests = cpu[kind]
                entry[f"{kind}_cpu_us"] = round(seconds / max(requests, 1) * 1e6)
                if kind != "static":
                    ratios = [v / s for v, s in zip(values, rounds["static"], strict=True)]
                    entry[f"{kind}_ratio"] = round(statistics.median(ratios), 2)
                    entry[f"{kind}_cpu_ratio"] = round(
                        entry["static_cpu_us"] / max(entry[f"{kind}_cpu_us"], 1), 2
                    )
            http[name] = entry
    finally:
        server.stop()
        uncached.stop()
    return http


def load_run(paths: list[str], workdir: Path, duration: int, connections: int, **env) -> dict:
    script = workdir / "load.lua"
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write_text(LOAD_SCRIPT % {"paths": quoted, "threads": WRK_THREADS})
    server = Gunicorn(workdir, **env)
    try:
        cpu_before = server.worker_cpu_seconds()
        result = wrk(server.port, paths[0], duration, connections, script=script)
        server.wait_idle()
        cpu = server.worker_cpu_seconds() - cpu_before
    finally:
        server.stop()
    # Steadier than requests per second when other work shares the machine.
    result["worker_cpu_ms_per_request"] = round(cpu * 1000 / max(1, result["requests"]), 2)
    result["5xx"] = sum(n for status, n in result["statuses"].items() if status >= 500)
    result["paths"] = paths
    return result


def distinct_paths() -> list[str]:
    """Issue 16's addresses that nobody has seen since the last change: every council's
    timeline and comparison, and its timeline under several filter combinations, in an
    order that visits every council before any address comes round again."""
    from django.urls import reverse

    from inspections.choices import EventKind, Grade
    from inspections.models import LocalAuthority

    filters = [
        "",
        f"?kind={EventKind.INSPECTION}",
        f"?grade={Grade.INADEQUATE}",
        f"?kind={EventKind.INSPECTION}&grade={Grade.GOOD}",
        "?year_from=2015",
        "?year_from=2018&year_to=2022",
    ]
    slugs = list(LocalAuthority.objects.order_by("slug").values_list("slug", flat=True))
    paths = []
    for query in filters:
        paths += [reverse("inspections:council", args=[slug]) + query for slug in slugs]
        if not query:
            paths += [reverse("inspections:council_compare", args=[slug]) for slug in slugs]
    return paths


# Report ------------------------------------------------------------------------------


def report(runs: dict, load: dict | None, distinct: dict | None = None) -> list[str]:
    """Print the tables; return the targets missed."""
    missed = []
    print(
        "\nIn process (DEBUG off): SQL queries, render time median / p95 (ms), this "
        "process's CPU per request (median, ms), HTML size"
    )
    print(
        f"{'page':10} {'size':>5} {'events':>7} {'queries':>8} {'median':>8} {'p95':>8} "
        f"{'CPU':>8} {'KB':>8}"
    )
    for factor, run in runs.items():
        for name, result in run["pages"].items():
            print(
                f"{name:10} {factor:>4}x {run['data']['events']:>7} {result['queries']:>8} "
                f"{result['median_ms']:>8.1f} {result['p95_ms']:>8.1f} "
                f"{result['cpu_median_ms']:>8.1f} {result['bytes'] / 1024:>8.1f}"
            )
    for name in ("summary",):
        if any(run["urls"].get(name) is None for run in runs.values()):
            print(f"{name:10} skipped: the site has no inspections:{name} page in this branch")
    factors = list(runs)
    for name in runs[factors[0]]["pages"]:
        counts = {f: runs[f]["pages"][name]["queries"] for f in factors}
        if len(set(counts.values())) > 1:
            missed.append(f"{name}: queries grow with the data {counts}")
    largest = max(factors)
    if largest >= 100:
        median = runs[largest]["pages"]["timeline"]["median_ms"]
        if median > TARGET_RENDER_MS:
            missed.append(
                f"timeline median render {median} ms at {largest}x > {TARGET_RENDER_MS} ms"
            )
    weight = runs[factors[0]]["weight"]
    print(f"\nTimeline weight at {factors[0]}x, gzipped: {weight['total_kb']} KB")
    for asset, size in weight["gzip_bytes"].items():
        print(f"  {asset:60} {size / 1024:6.1f} KB")
    if weight["total_kb"] > TARGET_WEIGHT_KB:
        missed.append(f"timeline weight {weight['total_kb']} KB > {TARGET_WEIGHT_KB} KB")
    for factor, run in runs.items():
        if not run.get("http"):
            continue
        print(
            f"\nHTTP at {factor}x, gunicorn {WORKERS} workers: requests per second (ratio: "
            "to the static copy). First visit and 304: production settings (the shared "
            "page cache); fresh render: the page cache off, the shared fragments on."
        )
        columns = [
            ("static", "static"),
            ("first_visit", "first visit"),
            ("304", "304"),
            ("fresh", "fresh render"),
        ]
        print(f"{'page':10}" + "".join(f" {title:>12} {'ratio':>5}" for _, title in columns))
        for name, h in run["http"].items():
            print(
                f"{name:10}"
                + "".join(
                    f" {h[f'{kind}_rps']:>12} {h.get(f'{kind}_ratio', 1):>5.2f}"
                    for kind, _ in columns
                )
            )
        print("gunicorn workers' CPU per request, µs (PostgreSQL's own CPU not included)")
        for name, h in run["http"].items():
            print(
                f"{name:10}"
                + "".join(
                    f" {h[f'{kind}_cpu_us']:>12} {h.get(f'{kind}_cpu_ratio', 1):>5.2f}"
                    for kind, _ in columns
                )
            )
        for name, h in run["http"].items():
            if h["first_visit_ratio"] < TARGET_FRESH_RATIO:
                missed.append(f"{name} at {factor}x: first visit/static {h['first_visit_ratio']}")
            if h["304_ratio"] < TARGET_304_RATIO:
                missed.append(f"{name} at {factor}x: 304/static {h['304_ratio']}")
            if factor < 100 or name not in FRESH_PAGES:
                continue
            if h["fresh_cpu_us"] > TARGET_FRESH_CPU_MS * 1000:
                missed.append(f"{name} at {factor}x: fresh render {h['fresh_cpu_us']} µs of CPU")
            if h["fresh_ratio"] < TARGET_FRESH_TO_STATIC:
                missed.append(f"{name} at {factor}x: fresh render/static {h['fresh_ratio']}")
    if load:
        print(
            f"\nLoad run: {load['requests']} requests, {load['rps']:.0f}/s, latency p50 "
            f"{load.get('latency_p50')} p99 {load.get('latency_p99')}, statuses "
            f"{load['statuses']}, socket errors {load['socket_errors']}, 5xx {load['5xx']}"
        )
    if distinct:
        print(
            f"\nDistinct-address load run (page cache off, {len(distinct['paths'])} addresses): "
            f"{distinct['requests']} requests, {distinct['rps']:.0f}/s, latency p50 "
            f"{distinct.get('latency_p50')} p99 {distinct.get('latency_p99')}, statuses "
            f"{distinct['statuses']}, socket errors {distinct['socket_errors']}, "
            f"5xx {distinct['5xx']}; gunicorn workers' CPU per request "
            f"{distinct['worker_cpu_ms_per_request']} ms"
        )
        static = [
            h["static_rps"] for run in runs.values() for h in (run.get("http") or {}).values()
        ]
        if static:
            ratio = distinct["rps"] / statistics.median(static)
            print(f"Distinct addresses / static (median of the static copies): {ratio:.2f}")
            if ratio < TARGET_FRESH_TO_STATIC:
                missed.append(f"distinct addresses/static {ratio:.2f} < {TARGET_FRESH_TO_STATIC}")
        p99 = milliseconds(distinct.get("latency_p99", "inf"))
        if distinct["rps"] < TARGET_DISTINCT_RPS or p99 > TARGET_DISTINCT_P99_MS:
            missed.append(
                f"distinct-address run: {distinct['rps']:.0f}/s, p99 {p99} ms (targets "
                f"{TARGET_DISTINCT_RPS}/s, {TARGET_DISTINCT_P99_MS} ms)"
            )
    print("\nTargets:", "all met" if not missed else "")
    for line in missed:
        print("  MISSED:", line)
    return missed


def milliseconds(latency: str) -> float:
    """wrk's latency ("812.00us", "98.95ms", "1.02s") in milliseconds."""
    units = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", latency)
    return float(match[1]) * units[match[2]] if match else float("inf")


def failures(runs: dict, load: dict | None, distinct: dict | None = None) -> list[str]:
    """What is broken rather than slow: a page that is not 200, errors, 5xx, no 304."""
    broken = []
    for factor, run in runs.items():
        for name, result in run["pages"].items():
            if result["status"] != 200:
                broken.append(f"{name} at {factor}x answered {result['status']}")
        for name, h in (run.get("http") or {}).items():
            if h["status"] != 200 or h["304_status"] != 304 or h["errors"]:
                broken.append(f"{name} at {factor}x over HTTP: {h}")
    if load and (load["5xx"] or load["socket_errors"] or load["non_2xx_3xx"]):
        broken.append(f"load run: {load}")
    if distinct and (distinct["5xx"] or distinct["socket_errors"] or distinct["non_2xx_3xx"]):
        broken.append(f"distinct-address load run: {distinct | {'paths': '...'}}")
    return broken


def main(argv=None) -> int:
    # Stopped with SIGTERM: unwind, so that the gunicorn servers are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    if not args.no_http and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), or pass --no-http.")
    with tempfile.TemporaryDirectory(prefix="ofsted-bench-") as tmp:
        workdir = Path(tmp)
        url = configure_environment(args, workdir)
        redis = RedisServer(workdir)
        try:
            return run_bench(args, factors, workdir, url)
        finally:
            redis.stop()


def run_bench(args, factors: list[int], workdir: Path, url: str) -> int:
    import django
    from django.core.management import call_command

    django.setup()
    print(f"Database: {url.split('@')[-1]}")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    runs, load, distinct = {}, None, None
    for factor in factors:
        started = time.monotonic()
        data = load_data(factor)
        urls = pages()
        print(
            f"{factor}x: {data['events']} events, {data['authorities']} authorities "
            f"({data['multiple']}x the seed{'' if data['seed_fixture'] else ' estimate'}); "
            f"loaded in {time.monotonic() - started:.0f} s"
        )
        results = measure_in_process(urls, args.requests)
        runs[factor] = {"data": data, "urls": urls, "pages": results}
        if factor == factors[0]:
            runs[factor]["weight"] = page_weight(results["timeline"]["html"])
        if not args.no_http:
            runs[factor]["http"] = measure_http(results, workdir, args)
        if args.load and factor == factors[-1]:
            from inspections.models import Event, Theme

            paths = [u for u in urls.values() if u] + [
                "/themes/",
                "/healthz",
                *[e.get_absolute_url() for e in Event.objects.order_by("?")[:20]],
                *[t.get_absolute_url() for t in Theme.objects.all()[:5]],
            ]
            load = load_run(paths, workdir, args.load_duration, args.load_connections)
        if args.distinct_load and factor == factors[-1]:
            distinct = load_run(distinct_paths(), workdir, 30, 16, DJANGO_PAGE_CACHE="false")
    missed = report(runs, load, distinct)
    broken = failures(runs, load, distinct)
    for line in broken:
        print("  BROKEN:", line)
    if args.json:
        for run in runs.values():
            for result in run["pages"].values():
                result.pop("html", None)
        results = {"runs": runs, "load": load, "distinct_load": distinct}
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 1 if broken or (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
