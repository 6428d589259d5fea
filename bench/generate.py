"""Fill a database with synthetic inspection histories (tests/builders/histories.py).

python bench/generate.py --authorities 153            # about 100 times the seed data
DATABASE_URL=postgres://... python bench/generate.py --authorities 15 --seed 2
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ofsted_tracker.settings")

import django  # noqa: E402

django.setup()

from inspections.models import LocalAuthority  # noqa: E402
from tests.builders.histories import ENGLISH_AUTHORITIES, generate  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=ENGLISH_AUTHORITIES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--first-number", type=int, default=None, help="Number of the first new authority."
    )
    args = parser.parse_args(argv)
    first = (
        args.first_number
        or LocalAuthority.objects.filter(slug__startswith="synthetic-").count() + 1
    )
    counts = generate(args.authorities, seed=args.seed, first_number=first)
    print(", ".join(f"{n} {name}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
