"""The command line's arguments: the parser, and the releases and entries its filters keep."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace

from notes_tui import __version__
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Entry, Release
from notes_tui.query import parse_query, resolve_prefix
from notes_tui.ranges import range_from_cli
from notes_tui.search import EntryIndex
from notes_tui.selection import (
    apply_range,
    entries_of,
    query_ranges,
    releases_in_ranges,
    without_repeats,
)

PROG = "notes-tui"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


class UsageError(Exception):
    """A command-line mistake."""


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser.

    Returns:
        The parser.
    """
    parser = _Parser(
        prog=PROG,
        description="Read release notes in the terminal: releases, areas and entries, "
        "filtered by area, kind, words and issue number.",
        epilog="With no PATH, the bundled Istio 1.28.0 change notes are shown. "
        "Without an output flag the interactive app starts when stdout is a terminal.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a Markdown file, a folder (read recursively), or - for standard input",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--list", action="store_true", help="print one aligned line per entry")
    output.add_argument("--json", action="store_true", help="print a JSON array of entries")
    output.add_argument(
        "--markdown", action="store_true", help="print the entries as Markdown by release and area"
    )
    parser.add_argument("--area", help="keep one area (any unique prefix, case-insensitive)")
    parser.add_argument("--kind", help="keep one kind: Added, Fixed... (any unique prefix)")
    parser.add_argument("--query", help="keep entries matching a query (words, area:, kind:, #N)")
    parser.add_argument(
        "--from",
        dest="from_version",
        metavar="A",
        help="upgrading from A: keep releases newer than A (X.Y means X.Y.0)",
    )
    parser.add_argument(
        "--to",
        dest="to_version",
        metavar="B",
        help="upgrading to B: keep releases up to B (X.Y means the newest X.Y.* loaded)",
    )
    parser.add_argument(
        "--breaking",
        action="store_true",
        help="keep what needs attention on upgrade (removals, deprecations, changed "
        "defaults, upgrade notes, security bulletins)",
    )
    parser.add_argument(
        "--checklist",
        action="store_true",
        help="write an upgrade checklist as Markdown (- [ ] entry) by release and area",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="parse every file again; do not use the cache"
    )
    parser.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        help=f"base for relative links (default: {DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--format",
        dest="forced_format",
        metavar="NAME",
        help="read every release in this format instead of detecting it (see --list-formats)",
    )
    parser.add_argument(
        "--list-formats", action="store_true", help="list the formats --format accepts, and exit"
    )
    parser.add_argument(
        "--repo",
        metavar="OWNER/NAME",
        help="the GitHub repository bare #N refers to (default: inferred from the file's links)",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def select_entries(
    releases: Sequence[Release],
    area: str | None,
    kind: str | None,
    query: str | None,
    *,
    breaking: bool = False,
    in_range: bool = False,
) -> list[Entry]:
    """Apply the command line's filters.

    Args:
        releases: The releases to read (already narrowed to a version range).
        area: An area prefix, or None.
        kind: A kind prefix, or None.
        query: A query, or None.
        breaking: Keep only what needs attention on upgrade.
        in_range: The releases are a version range already (`--from`/`--to`): a change
            that a GA release repeats from its pre-releases is listed once.

    Returns:
        The entries that pass, in document order.

    Raises:
        QueryError: When a prefix names no area or kind, or several.
        RangeError: When a `version:` range cannot be read.
    """
    parsed = parse_query(query or "")
    if breaking:
        parsed = replace(parsed, flags=(*parsed.flags, "breaking"))
    kept = releases_in_ranges(releases, query_ranges(parsed))
    ranged_releases = [r for position, r in enumerate(releases) if kept is None or position in kept]
    index = EntryIndex()
    ranged = in_range or kept is not None
    index.extend(without_repeats(ranged_releases) if ranged else entries_of(ranged_releases))
    entries = index.entries
    if area:
        chosen = resolve_prefix(area, [e.area for e in entries], "area").casefold()
        entries = [e for e in entries if e.area_key == " ".join(chosen.split())]
    if kind:
        chosen_kind = resolve_prefix(kind, [e.kind for e in entries] or [kind], "kind")
        entries = [e for e in entries if e.kind == chosen_kind]
    if not parsed.is_empty:
        narrowed = EntryIndex()
        narrowed.extend(entries)
        entries = [narrowed.entries[i] for i in narrowed.filter(parsed)]
    return entries


def choose_releases(releases: Sequence[Release], args: argparse.Namespace) -> list[Release]:
    """Narrow releases to `--from`/`--to`, oldest first (all of them, in order, without).

    Args:
        releases: Everything loaded.
        args: The parsed command line.

    Returns:
        The releases to read.

    Raises:
        RangeError: When a bound is not a version or the range is empty.
    """
    if not (args.from_version or args.to_version):
        return list(releases)
    rng = range_from_cli(args.from_version, args.to_version, [r.version for r in releases])
    return apply_range(releases, rng)
