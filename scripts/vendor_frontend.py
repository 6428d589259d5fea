"""Copy GOV.UK Frontend, MOJ Frontend and axe-core from node_modules into the repository.

Run after `npm ci`:  python scripts/vendor_frontend.py

The compiled CSS is rewritten so that it suits a council's service rather than
GOV.UK: the GDS Transport @font-face rules are dropped and the font stack starts
with Arial (the Transport font is for GOV.UK services only), asset URLs become
relative to the CSS file so that Django's hashed static storage finds them, and
source-map comments are removed because the maps are not shipped. Neither the run
command nor the test command needs Node: the output is committed.
"""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S+")


def rewrite_css(text: str) -> str:
    text = FONT_FACE.sub("", text)
    text = text.replace('"GDS Transport",', "").replace("GDS Transport,", "")
    text = text.replace("url(/assets/", "url(assets/")
    return SOURCE_MAP.sub("", text)


def copy_css(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    css = rewrite_css(source.read_text(encoding="utf-8"))
    assert "GDS Transport" not in css, f"{source}: Transport font still referenced"
    target.write_text(css, encoding="utf-8")


def copy_images(source: Path, target: Path, names: set[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(names):
        shutil.copy2(source / name, target / name)


def referenced_images(css: str) -> set[str]:
    return set(re.findall(r"url\(assets/images/([^)\"']+)\)", css))


def main() -> None:
    shutil.rmtree(VENDOR, ignore_errors=True)
    govuk = NODE / "govuk-frontend" / "dist" / "govuk"
    copy_css(govuk / "govuk-frontend.min.css", VENDOR / "govuk" / "govuk-frontend.min.css")
    moj = NODE / "@ministryofjustice" / "frontend" / "moj"
    copy_css(moj / "moj-frontend.min.css", VENDOR / "moj" / "moj-frontend.min.css")
    for name, source in (("govuk", govuk), ("moj", moj)):
        css = (VENDOR / name / f"{name}-frontend.min.css").read_text(encoding="utf-8")
        images = referenced_images(css)
        copy_images(source / "assets" / "images", VENDOR / name / "assets" / "images", images)
    (VENDOR / "README.md").write_text(
        "Vendored by scripts/vendor_frontend.py from npm: govuk-frontend and "
        "@ministryofjustice/frontend (both MIT licence). Do not edit by hand.\n",
        encoding="utf-8",
    )
    axe = ROOT / "tests" / "vendor"
    axe.mkdir(parents=True, exist_ok=True)
    shutil.copy2(NODE / "axe-core" / "axe.min.js", axe / "axe.min.js")
    shutil.copy2(NODE / "axe-core" / "LICENSE", axe / "axe-core-LICENSE")


if __name__ == "__main__":
    main()
