"""A flood of wrong passwords against the sign-in page, and what it does to the home page.

Starts the production gunicorn (gunicorn.conf.py: 2 sync workers) on a loopback port,
with production settings, the seed data and one admin. It times GET / alone, then again
while a few threads send wrong passwords for that admin to /admin/login/ (each with a
valid CSRF token, as a browser would), and prints the home page's latency both ways, the
sign-in answers by status, and the workers' CPU time for the flood. Loopback only;
bounded in attempts and in time.

    python bench/login_flood.py                                   # SQLite in a temporary folder
    python bench/login_flood.py --database-url postgres://postgres@127.0.0.1:5432/ofsted_flood_bench
    python bench/login_flood.py --root /path/to/another/checkout  # the same flood, older code

The database named must contain "bench": it is emptied (PostgreSQL: dropped and created).
"""

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "flood-target"
PASSWORD = "the-real-password-nobody-guesses-2026"
PROBE_PAUSE = 0.05  # between two timed GET / requests
MAX_SECONDS = 300  # the flood stops here whatever is left


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://… (default: SQLite in a temp folder)")
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose code to run")
    parser.add_argument("--attempts", type=int, default=100, help="wrong passwords in all")
    parser.add_argument("--threads", type=int, default=4, help="threads sending them")
    parser.add_argument("--baseline-seconds", type=float, default=10, help="GET / alone")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(args, workdir: Path) -> dict[str, str]:
    url = args.database_url or f"sqlite:///{workdir / 'flood_bench.sqlite3'}"
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"The flood empties its database: {name!r} must contain 'bench'.")
    if url.startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(url)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return keep | {
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "flood-bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
    }


def recreate_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    server = {k: v for k, v in server.items() if v is not None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def prepare(root: Path, env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["loaddata", "west_sussex", "-v0"],
        [
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            f"User.objects.create_superuser({USERNAME!r}, 'flood@example.org', {PASSWORD!r})",
        ],
    ):
        subprocess.run(manage + command, cwd=root, env=env, check=True, timeout=600)


class Server:
    """The production gunicorn on a loopback port."""

    def __init__(self, root: Path, env: dict, workdir: Path):
        self.port = free_port()
        self.log = open(workdir / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "ofsted_tracker.wsgi"]
        self.process = subprocess.Popen(
            command,
            cwd=root,
            env=env | {"WEB_CONCURRENCY": "2"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not start: see {self.log.name}")

    def worker_cpu_seconds(self) -> float:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        total = 0
        for pid in children.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None):
    """As the TLS-terminating proxy would pass it on: HTTPS said in X-Forwarded-Proto."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        all_headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
        connection.request(method, path, body=body, headers=all_headers | (headers or {}))
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def wrong_password(port: int, attempt: int) -> int:
    """One sign-in with a wrong password, with the CSRF cookie and token a browser sends."""
    _, headers, body = request(port, "GET", "/admin/login/")
    cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and "csrf" in v)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": USERNAME,
            "password": f"wrong-guess-{attempt}",
            "otp_token": "123456",
            "next": "/admin/",
        }
    ).encode()
    status, _, _ = request(
        port,
        "POST",
        "/admin/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"https://127.0.0.1:{port}/admin/login/",
        },
    )
    return status


def time_home_page(port: int, stop: threading.Event, deadline: float) -> list[float]:
    latencies = []
    while not stop.is_set() and time.monotonic() < deadline:
        start = time.perf_counter()
        status, _, _ = request(port, "GET", "/")
        latencies.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"GET / answered {status}")
        time.sleep(PROBE_PAUSE)
    return latencies


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{len(ordered)} requests, median {statistics.median(ordered):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"
    )


def flood(port: int, attempts: int, threads: int) -> tuple[dict[int, int], float]:
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(attempts))
    deadline = time.monotonic() + MAX_SECONDS

    def worker():
        while time.monotonic() < deadline:
            with lock:
                attempt = next(counter, None)
            if attempt is None:
                return
            status = wrong_password(port, attempt)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statuses, time.monotonic() - started


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ofsted-flood-") as tmp:
        workdir = Path(tmp)
        env = environment(args, workdir)
        prepare(args.root, env)
        server = Server(args.root, env, workdir)
        try:
            request(server.port, "GET", "/")  # the page cache holds it from here on
            alone = time_home_page(
                server.port, threading.Event(), time.monotonic() + args.baseline_seconds
            )
            stop = threading.Event()
            during: list[float] = []
            probe = threading.Thread(
                target=lambda: during.extend(
                    time_home_page(server.port, stop, time.monotonic() + MAX_SECONDS)
                )
            )
            cpu_before = server.worker_cpu_seconds()
            probe.start()
            statuses, seconds = flood(server.port, args.attempts, args.threads)
            stop.set()
            probe.join()
            cpu = server.worker_cpu_seconds() - cpu_before
        finally:
            server.stop()
    print(f"code: {args.root}   database: {env['DATABASE_URL'].split('@')[-1]}")
    print(f"GET / alone:        {summary(alone)}")
    print(f"GET / during flood: {summary(during)}")
    answers = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    print(
        f"flood: {args.attempts} wrong passwords from {args.threads} threads in {seconds:.1f} s "
        f"({args.attempts / seconds:.1f}/s); answers: {answers}"
    )
    print(
        f"workers' CPU during the flood: {cpu:.2f} s "
        f"({cpu * 1000 / args.attempts:.1f} ms per attempt, the probe's GET / included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
