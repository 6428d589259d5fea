"""Benchmark the Ofsted report reader over the sample reports in ../shared/ofsted/reports.

It prints:

- the reader (`inspections.official_data.report_reader.read_report`, PDF to record, everything
  included): the median, 95th percentile and slowest time per report over several
  rounds, and the peak memory (maximum resident set size) of a fresh process that reads
  every report, beside that of a process that only imports the reader;
- with --compare, the PDF libraries side by side: the time to extract the text of every
  page of every report with pypdfium2, pypdf and pdfplumber (each that is installed; pdfplumber
  is not a dependency) in a fresh process each, its peak memory, and how far its words
  agree with pypdfium2's.

Targets (bench/README.md): median at most 0.1 s per report and peak memory at most 200 MB.

    python bench/read_reports.py
    python bench/read_reports.py --compare --rounds 5
"""

import argparse
import difflib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORTS = ROOT.parent / "shared" / "ofsted" / "reports"
TARGET_MEDIAN_SECONDS = 0.1
TARGET_PEAK_MB = 200
LIBRARIES = ("pypdfium2", "pypdf", "pdfplumber")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=REPORTS, help="folder of report PDFs")
    parser.add_argument("--rounds", type=int, default=3, help="times each report is read")
    parser.add_argument("--compare", action="store_true", help="compare the PDF libraries too")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    # Internal: run one measurement in this (fresh) process and print it as JSON.
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pdf_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.pdf") if path.read_bytes()[:5] == b"%PDF-")


def child_reader(folder: Path, rounds: int) -> dict:
    from inspections.official_data.report_reader import read_report

    files = sorted(folder.glob("*.pdf"))
    per_file = {}
    for path in files:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            read_report(path)
            times.append(time.perf_counter() - started)
        per_file[path.name] = statistics.median(times)
    return {"per_file": per_file, "peak_mb": peak_mb()}


def child_import_only() -> dict:
    import inspections.official_data.report_reader  # noqa: F401

    return {"peak_mb": peak_mb()}


def extract_text(library: str, path: Path) -> str:
    if library == "pypdfium2":
        import pypdfium2

        document = pypdfium2.PdfDocument(path)
        try:
            return "\n".join(
                document[index].get_textpage().get_text_bounded() for index in range(len(document))
            )
        finally:
            document.close()
    if library == "pypdf":
        import pypdf

        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    import pdfplumber

    with pdfplumber.open(path) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def child_library(library: str, folder: Path) -> dict:
    files = pdf_files(folder)
    texts, times = {}, {}
    for path in files:
        started = time.perf_counter()
        texts[path.name] = extract_text(library, path)
        times[path.name] = time.perf_counter() - started
    return {"times": times, "texts": texts, "peak_mb": peak_mb()}


def run_child(*args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(completed.stdout)


def words(text: str) -> list[str]:
    # pdfium marks a hyphen that ends a line with U+0002; the others print it as "-\n".
    text = text.replace("\x02", "-").replace("-\n", "-")
    return text.split()


def installed(library: str) -> bool:
    try:
        __import__(library)
    except ImportError:
        return False
    return True


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.child == "reader":
        print(json.dumps(child_reader(args.reports, args.rounds)))
        return 0
    if args.child == "import":
        print(json.dumps(child_import_only()))
        return 0
    if args.child:
        print(json.dumps(child_library(args.child, args.reports)))
        return 0

    if not args.reports.is_dir():
        print(f"No reports at {args.reports}: pass --reports.", file=sys.stderr)
        return 2
    figures: dict = {}
    baseline = run_child("--child", "import")
    reader = run_child(
        "--child", "reader", "--reports", str(args.reports), "--rounds", str(args.rounds)
    )
    # The three HTML pages saved as .pdf are refused in microseconds: leave them out.
    pdf_names = {path.name for path in pdf_files(args.reports)}
    times = sorted(t for name, t in reader["per_file"].items() if name in pdf_names)
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    figures["reader"] = {
        "files": len(times),
        "median_s": median,
        "p95_s": p95,
        "max_s": times[-1],
        "total_s": sum(times),
        "peak_mb": reader["peak_mb"],
        "import_only_peak_mb": baseline["peak_mb"],
    }
    print(
        f"Reader: {len(times)} PDFs of {len(reader['per_file'])} files (the others are refused "
        f"unread), median of {args.rounds} rounds per file"
    )
    print(
        f"  per report: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"slowest {times[-1] * 1000:.1f} ms; whole sample {sum(times):.2f} s"
    )
    print(
        f"  peak memory: {reader['peak_mb']:.0f} MB (a process that only imports the reader: "
        f"{baseline['peak_mb']:.0f} MB)"
    )
    met = median <= TARGET_MEDIAN_SECONDS and reader["peak_mb"] <= TARGET_PEAK_MB
    print(
        f"  targets (median <= {TARGET_MEDIAN_SECONDS} s, peak <= {TARGET_PEAK_MB} MB): "
        + ("met" if met else "NOT MET")
    )

    if args.compare:
        print("\nText extraction, every page of every PDF, one fresh process per library")
        print(f"{'library':<12}{'total s':>9}{'median ms':>11}{'peak MB':>9}{'words agree':>13}")
        reference = None
        figures["libraries"] = {}
        for library in LIBRARIES:
            if not installed(library):
                print(f"{library:<12} not installed, skipped")
                continue
            result = run_child("--child", library, "--reports", str(args.reports))
            if reference is None:
                reference = result["texts"]
            agreement = statistics.mean(
                difflib.SequenceMatcher(
                    None, words(reference[name]), words(text), autojunk=False
                ).ratio()
                for name, text in result["texts"].items()
            )
            total = sum(result["times"].values())
            library_median = statistics.median(result["times"].values())
            figures["libraries"][library] = {
                "total_s": total,
                "median_s": library_median,
                "peak_mb": result["peak_mb"],
                "word_agreement": agreement,
            }
            print(
                f"{library:<12}{total:>9.2f}{library_median * 1000:>11.1f}"
                f"{result['peak_mb']:>9.0f}{agreement:>12.1%}"
            )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
