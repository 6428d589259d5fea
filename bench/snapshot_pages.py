"""Save every public page of the seed data to a folder, to check that a change to how
pages are rendered leaves their HTML byte for byte the same.

    .venv/bin/python bench/snapshot_pages.py /tmp/before          # on the old code
    .venv/bin/python bench/snapshot_pages.py /tmp/after --compare /tmp/before

Each address is rendered twice in one process (the second time from the fragments the
first kept) with production settings and the page cache off; both must match. The seed
data go into a new SQLite file in a temporary folder. Both runs must be made on the same
day: pages say the day they were produced, or with the same --today (time stands still
at noon UTC that day).
"""

import argparse
import difflib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = 8
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def configure(workdir: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'pages.sqlite3'}",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_PAGE_CACHE": "false",
            "DJANGO_CACHE_DIR": str(workdir / "cache"),
            "DJANGO_STATIC_ROOT": str(workdir / "static"),
            "DJANGO_SETTINGS_MODULE": "ofsted_tracker.settings",
        }
    )


def addresses() -> list[tuple[str, dict]]:
    """(address, extra request headers): every public page of the data loaded."""
    from django.urls import reverse

    from inspections.choices import EventKind, Grade, JudgementArea
    from inspections.models import Event, LocalAuthority, Theme

    councils = list(LocalAuthority.objects.order_by("slug").values_list("slug", flat=True))
    themes = list(Theme.objects.order_by("slug").values_list("slug", flat=True))
    events = list(Event.objects.order_by("slug").values_list("slug", flat=True))
    # Filters and themes for a few councils with events (every one would take an hour).
    with_events = list(
        LocalAuthority.objects.filter(events__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("slug", flat=True)[:SAMPLE]
    )
    filters = [
        f"?kind={EventKind.INSPECTION}",
        f"?grade={Grade.INADEQUATE}",
        f"?area={JudgementArea.OVERALL}&grade={Grade.GOOD}",
        "?year_from=2015&year_to=2020",
        "?year_from=2022&year_to=2015",
        "?kind=nonsense",
        "?q=care",
        "?q=safe&kind=inspection",
        "?page=2",
        # Years: the seed's event whose year the source leaves out may be 2020 to 2022.
        "?year_from=2021&year_to=2021",
        "?year_to=2019",
        "?year_to=2020",
        "?year_from=2023",
        f"?year_from=2020&kind={EventKind.MONITORING_VISIT}",
        "?year_from=abc&grade=nonsense",
        *(f"?theme={theme}" for theme in themes),
        *(f"?theme={theme}&year_from=2019" for theme in themes[:2]),
        "?theme=none",
    ]
    paths = [
        "/",
        "/?page=2",
        "/councils/",
        "/councils/?page=2",
        "/councils/?region=nonsense",
        "/themes/",
        "/sources/",
        "/summary/",
    ]
    paths += [f"/{query}" for query in filters]
    for slug in councils:
        paths += [
            reverse("inspections:council", args=[slug]),
            reverse("inspections:council_compare", args=[slug]),
            reverse("inspections:council_side_by_side", args=[slug]),
            f"{reverse('inspections:summary')}?authority={slug}",
            reverse("inspections:council_recommendations", args=[slug]),
        ]
    for slug in with_events:
        paths += [reverse("inspections:council", args=[slug]) + query for query in filters]
    for slug in events:
        paths += [reverse("inspections:event", args=[slug])]
        paths += [reverse("inspections:event_summary", args=[slug])]
    for slug in themes:
        paths.append(reverse("inspections:theme", args=[slug]))
        paths += [f"{reverse('inspections:theme', args=[slug])}?authority={c}" for c in with_events]
    paths = list(dict.fromkeys(paths))
    pages = [(path, {}) for path in paths]
    htmx_pages = [path for path in paths if path.startswith(("/councils", "/?")) or path == "/"]
    pages += [(path, HTMX) for path in htmx_pages if "compare" not in path]
    return pages


def file_name(path: str, headers: dict) -> str:
    readable = "".join(c if c.isalnum() else "_" for c in path)[:80]
    digest = hashlib.blake2b(f"{path}\n{sorted(headers.items())}".encode(), digest_size=4)
    return f"{readable}-{digest.hexdigest()}.html"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="Folder to save the pages in.")
    parser.add_argument("--compare", type=Path, help="A folder saved before, to compare with.")
    parser.add_argument("--today", help="The day to render the pages on (YYYY-MM-DD).")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.today:
        import time_machine

        with time_machine.travel(f"{args.today}T12:00:00Z", tick=False):
            return snapshot(args)
    return snapshot(args)


def snapshot(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="snapshot-pages-") as workdir:
        configure(Path(workdir))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        call_command("collectstatic", "--noinput", verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("seed", verbosity=0)
        client = Client()
        problems = []
        pages = addresses()
        for path, headers in pages:
            first = client.get(path, secure=True, **headers)
            again = client.get(path, secure=True, **headers)
            body = f"{first.status_code}\n".encode() + first.content
            if again.content != first.content:
                problems.append(f"{path} {headers}: differs when drawn from kept fragments")
            (args.out / file_name(path, headers)).write_bytes(body)
            if args.compare:
                before = (args.compare / file_name(path, headers)).read_bytes()
                if before != body:
                    diff = difflib.unified_diff(
                        before.decode().splitlines(), body.decode().splitlines(), lineterm=""
                    )
                    problems.append(f"{path} {headers}: differs\n" + "\n".join(list(diff)[:30]))
    print(f"{len(pages)} addresses saved in {args.out}")
    print("\n".join(problems) or "every page identical")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
