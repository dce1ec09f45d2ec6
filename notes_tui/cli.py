"""The command line: argparse, output modes, and starting the TUI (imported lazily)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from notes_tui import __version__
from notes_tui.inputs import LoadError
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.loading import load
from notes_tui.model import Entry, Release
from notes_tui.output import to_json, to_list, to_markdown
from notes_tui.parse.formats import format_names, list_formats
from notes_tui.query import QueryError, parse_query, resolve_prefix
from notes_tui.ranges import RangeError, range_from_cli
from notes_tui.reading import STDIN
from notes_tui.sanitize import clean_block, clean_controls
from notes_tui.sanitize import clean_line as clean
from notes_tui.search import EntryIndex
from notes_tui.selection import (
    apply_range,
    entries_of,
    query_ranges,
    releases_in_ranges,
    without_repeats,
)
from notes_tui.targets import plan_targets
from notes_tui.upgrade import backports, to_checklist

PROG = "notes-tui"

_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
"""What `--repo` accepts: `owner/name`."""


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
        help="with --markdown: write an upgrade checklist (- [ ] entry) by release and area",
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run notes-tui.

    Args:
        argv: The arguments (without the program name); `sys.argv[1:]` by default.

    Returns:
        The exit status: 0, or 2 for input that cannot be read or a usage mistake.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        return _fail(str(error))
    if args.list_formats:
        sys.stdout.writelines(f"{name}  {description}\n" for name, description in list_formats())
        return 0
    if args.forced_format is not None and args.forced_format not in format_names():
        return _fail(f"unknown format {args.forced_format!r} (--list-formats lists them)")
    if args.repo is not None and not _REPO.fullmatch(args.repo):
        return _fail(f"--repo: expected OWNER/NAME, got {args.repo!r}")
    warnings: list[str] = []
    try:
        targets = plan_targets(args.paths, warnings)
        interactive = not (args.list or args.json or args.markdown) and sys.stdout.isatty()
        if interactive and len(targets) > 1 and STDIN not in args.paths:
            # Many files: the app paints at once and reads them in a worker.
            return _run_app([], args, targets, warnings)
        result = load(
            args.paths,
            base_url=args.base_url,
            use_cache=not args.no_cache,
            forced_format=args.forced_format,
            repo=args.repo,
        )
        chosen = choose_releases(result.releases, args)
        entries = select_entries(
            chosen,
            args.area,
            args.kind,
            args.query,
            breaking=args.breaking,
            in_range=bool(args.from_version or args.to_version),
        )
    except (LoadError, QueryError, RangeError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    _warn(result.warnings)
    also_in = backports(result.releases)
    if args.json:
        return _emit(to_json(entries, also_in, chosen) + "\n")
    if args.markdown:
        markdown = to_checklist(entries) if args.checklist else to_markdown(entries)
        # Never an escape sequence; on a terminal, no zero-width or bidi character either.
        return _emit(clean_block(markdown) if sys.stdout.isatty() else clean_controls(markdown))
    if not interactive:
        return _emit(to_list(entries, also_in))
    return _run_app(chosen, args)


def _emit(text: str) -> int:
    """Write the output; a reader gone (`| head`) or a full disk is no traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Nothing more to say; point stdout at /dev/null so the exit's flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        return _fail(f"cannot write the output ({error.strerror or error})")
    return 0


def _run_app(
    releases: list[Release],
    args: argparse.Namespace,
    targets: Sequence[str | Path] = (),
    warnings: Sequence[str] = (),
) -> int:
    """Start the interactive app (imported here so scripts never load Textual)."""
    if STDIN in args.paths and not sys.stdin.isatty():
        problem = _reattach_terminal()
        if problem is not None:
            return _fail(problem)
    from notes_tui.app import NotesApp

    app = NotesApp(
        releases,
        initial_query=_initial_query(args),
        targets=targets,
        base_url=args.base_url,
        use_cache=not args.no_cache,
        forced_format=args.forced_format,
        repo=args.repo,
    )
    app.run()
    if app.exit_error is not None:
        return _fail(app.exit_error)
    _warn([*warnings, *app.load_warnings])
    return app.return_code or 0


def _reattach_terminal() -> str | None:
    """Give standard input back to the terminal once the notes were read from a pipe.

    Returns:
        Why that failed (no controlling terminal), or None.
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError as error:
        return (
            f"cannot open the terminal after reading standard input ({error.strerror}); "
            "use --list, --json or --markdown"
        )
    os.dup2(terminal, 0)
    os.close(terminal)
    return None


def _warn(warnings: Sequence[str]) -> None:
    for warning in dict.fromkeys(warnings):  # each once, in order
        print(f"{PROG}: warning: {clean(warning)}", file=sys.stderr)


def _initial_query(args: argparse.Namespace) -> str:
    parts = []
    if args.area:
        parts.append(f'area:"{args.area}"' if " " in args.area else f"area:{args.area}")
    if args.kind:
        parts.append(f"kind:{args.kind}")
    if args.from_version or args.to_version:
        parts.append(f"version:{args.from_version or ''}..{args.to_version or ''}")
    if args.breaking:
        parts.append("is:breaking")
    if args.query:
        parts.append(args.query)
    return " ".join(parts)


def _fail(message: str) -> int:
    print(f"{PROG}: error: {clean(message)}", file=sys.stderr)
    return 2
