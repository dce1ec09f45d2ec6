"""Parse speed: the loader and the parser against bare markdown-it tokenisation, in one run.

Run as `python benchmarks/parse.py [--corpus DIR] [--runs N]`. Every row is the median of
`--runs` timings of CPU time (so other busy processes on the machine disturb it less than wall
time); between runs the order of the rows is reversed to spread drift and noise.
Each row's ratio is taken against a baseline row measured in the same run, so the numbers
compare across machines. This is a measurement, not a test: it exits 0 whether or not the
target is met.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The checkout this script belongs to; measured rather than any installed copy."""
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from markdown_it import MarkdownIt  # noqa: E402

from notes_tui.inputs import LoadError, read_file  # noqa: E402
from notes_tui.loading import load  # noqa: E402
from notes_tui.parse import parse_text  # noqa: E402
from notes_tui.reading import read_target  # noqa: E402
from notes_tui.targets import markdown_files  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "istio"
"""The Istio release notes, 399 Markdown files."""

DEFAULT_OTHER = REPO.parent / "shared" / "corpus" / "other"
"""The changelogs of other projects, one Markdown file per project folder."""

DEFAULT_RUNS = 7
"""Timings per row; the median is reported."""

TARGET_RATIO = 1.5
"""The most a full parse may cost, as a multiple of bare tokenisation of the same text."""


@dataclass
class Case:
    """One thing to time."""

    name: str
    """The row's label."""
    fn: Callable[[], object]
    """The work, run once per timing."""
    baseline: str | None = None
    """The row this one's ratio is taken against (None for a baseline itself)."""


@dataclass
class Row:
    """The timings of one case."""

    name: str
    """The row's label."""
    timings: list[float] = field(default_factory=list)
    """Seconds per run."""
    baseline: str | None = None
    """The row this one's ratio is taken against."""

    @property
    def median(self) -> float:
        """The median timing, in seconds."""
        return statistics.median(self.timings)


def measure(name: str, fn: Callable[[], object], runs: int) -> Row:
    """Time a function in process CPU time, after a garbage collection before each run.

    Args:
        name: The row's label.
        fn: The work.
        runs: How many timings to take.

    Returns:
        The row with one timing per run.
    """
    row = Row(name)
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        fn()
        row.timings.append(time.process_time() - start)
    return row


def measure_all(cases: Sequence[Case], runs: int) -> list[Row]:
    """Time every case once per round, reversing their order every other round.

    Each case runs once untimed first (imports, compiled regexes, warm caches).

    Args:
        cases: What to time.
        runs: How many rounds.

    Returns:
        One row per case, in the order of `cases`.
    """
    rows = {case.name: Row(case.name, baseline=case.baseline) for case in cases}
    for case in cases:
        case.fn()
    for round_index in range(runs):
        order = cases if round_index % 2 == 0 else list(reversed(cases))
        for case in order:
            rows[case.name].timings.extend(measure(case.name, case.fn, 1).timings)
    return [rows[case.name] for case in cases]


def ratio(row: Row, rows: Sequence[Row]) -> float | None:
    """Return a row's median over its baseline's, or None for a baseline row."""
    if row.baseline is None:
        return None
    base = next(r for r in rows if r.name == row.baseline)
    return row.median / base.median


def format_table(rows: Sequence[Row]) -> str:
    """Lay the rows out as a text table: median, fastest, slowest, ratio to baseline.

    Args:
        rows: Measured rows.

    Returns:
        The table, one line per row under a header.
    """
    width = max(len("row"), *(len(row.name) for row in rows))
    lines = [
        f"{'row':<{width}}  {'median':>9}  {'min':>9}  {'max':>9}  {'ratio':>6}  baseline",
    ]
    for row in rows:
        row_ratio = ratio(row, rows)
        shown = f"{row_ratio:5.2f}x" if row_ratio is not None else f"{'1.00x':>6}"
        lines.append(
            f"{row.name:<{width}}  {row.median * 1000:7.1f}ms  {min(row.timings) * 1000:7.1f}ms"
            f"  {max(row.timings) * 1000:7.1f}ms  {shown:>6}  {row.baseline or '-'}"
        )
    return "\n".join(lines)


def istio_cases(corpus: Path) -> tuple[list[Case], str]:
    """Build the Istio rows: bare tokenisation, the loader, and parsing alone.

    Args:
        corpus: The folder of Istio notes.

    Returns:
        The cases and a line of counts (files, releases, entries).
    """
    warnings: list[str] = []
    paths = markdown_files(corpus, warnings)
    # Read once, outside any timing, decoded exactly as the loader decodes.
    texts = [(read_file(path)[0], str(path)) for path in paths]
    bare = MarkdownIt()
    folder = [str(corpus)]

    def tokenise_bare() -> None:
        for text, _ in texts:
            bare.parse(text)

    def load_corpus() -> None:
        # One file after another in this process: `load` spreads files over worker
        # processes, whose CPU time this process would not count.
        for path in paths:
            read_target(path)

    def parse_only() -> None:
        for text, source in texts:
            parse_text(text, source)

    result = load(folder)
    entries = sum(len(release.entries) for release in result.releases)
    counts = (
        f"istio: {len(paths)} files, {len(result.releases)} releases, {entries} entries, "
        f"{sum(len(text) for text, _ in texts):,} characters"
    )
    cases = [
        Case("istio: bare markdown-it tokenise", tokenise_bare),
        Case("istio: load (read + parse)", load_corpus, "istio: bare markdown-it tokenise"),
        Case("istio: parse only", parse_only, "istio: bare markdown-it tokenise"),
    ]
    return cases, counts


def changelog_cases(folder: Path) -> tuple[list[Case], list[str]]:
    """Build two rows per changelog file: bare tokenisation, and the full parse (with detection).

    Args:
        folder: `corpus/other/`, one folder per project.

    Returns:
        The cases, and one line of counts per file (releases, entries, formats).
    """
    bare = MarkdownIt()
    cases: list[Case] = []
    counts: list[str] = []
    for path in sorted(folder.glob("*/*.md")):
        text, _ = read_file(path)
        source = str(path)
        name = f"{path.parent.name}/{path.name}"
        base = f"{name}: bare tokenise"

        def tokenise_bare(text: str = text) -> None:
            bare.parse(text)

        def parse_full(text: str = text, source: str = source) -> None:
            parse_text(text, source)

        releases = parse_text(text, source)
        formats = Counter(release.format for release in releases)
        counts.append(
            f"{name}: {len(releases)} releases, "
            f"{sum(len(release.entries) for release in releases)} entries, "
            f"{len(text):,} characters, formats {dict(formats)}"
        )
        cases.append(Case(base, tokenise_bare))
        cases.append(Case(f"{name}: full parse", parse_full, base))
    return cases, counts


def build_parser() -> argparse.ArgumentParser:
    """Build the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="Istio notes folder")
    parser.add_argument(
        "--other", type=Path, default=DEFAULT_OTHER, help="folder of other projects' changelogs"
    )
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timings per row")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table.

    Args:
        argv: Command-line arguments (default: `sys.argv[1:]`).

    Returns:
        0 after measuring, whether or not the target is met; 2 for a bad corpus or run count.
    """
    args = build_parser().parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"{corpus}: no such folder", file=sys.stderr)
        return 2
    if args.runs < 1:
        print("--runs must be at least 1", file=sys.stderr)
        return 2
    try:
        cases, counts = istio_cases(corpus)
        other_counts: list[str] = []
        if args.other.is_dir():
            other_cases, other_counts = changelog_cases(args.other)
            cases.extend(other_cases)
    except LoadError as error:
        print(error, file=sys.stderr)
        return 2
    rows = measure_all(cases, args.runs)
    print(f"{counts}; CPU time, median of {args.runs} runs, Python {sys.version.split()[0]}")
    for line in other_counts:
        print(line)
    print(format_table(rows))
    print(f"target: full parse at most {TARGET_RATIO:.1f}x bare tokenisation")
    for row in rows:
        row_ratio = ratio(row, rows)
        if row_ratio is not None:
            verdict = "met" if row_ratio <= TARGET_RATIO else "NOT met"
            print(f"  {row.name}: {row_ratio:.3f}x, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
