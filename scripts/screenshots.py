"""Screenshots and PDFs of the running site, for a person to look at.

    python scripts/screenshots.py http://127.0.0.1:8000 artifacts/

Not a test: it writes PNG files (and PDFs of pages given with --pdf) for review.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("out", type=Path)
    parser.add_argument("paths", nargs="*", default=["/"])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--pdf", action="store_true", help="also print each page to an A4 PDF")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        for path in args.paths:
            page.goto(args.base_url.rstrip("/") + path)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "timeline"
            page.screenshot(path=args.out / f"{name}-{args.width}.png", full_page=True)
            if args.pdf:
                page.pdf(path=args.out / f"{name}.pdf", format="A4", prefer_css_page_size=True)
        browser.close()


if __name__ == "__main__":
    main()
