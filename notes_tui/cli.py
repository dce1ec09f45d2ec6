"""The command line: output modes, warnings and errors, and starting the TUI (imported lazily)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from notes_tui.arguments import PROG, UsageError, build_parser, choose_releases, select_entries
from notes_tui.inputs import LoadError
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.output import to_json, to_list, to_markdown
from notes_tui.parse.formats import format_names, list_formats
from notes_tui.query import QueryError
from notes_tui.ranges import RangeError
from notes_tui.reading import STDIN
from notes_tui.sanitize import clean_block, clean_controls
from notes_tui.sanitize import clean_line as clean
from notes_tui.targets import plan_targets
from notes_tui.upgrade import backports, to_checklist

_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
"""What `--repo` accepts: `owner/name`."""


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
    if args.checklist:
        if args.list or args.json:
            return _fail("--checklist writes Markdown: not allowed with --list or --json")
        args.markdown = True  # A checklist is Markdown: `--checklist` alone asks for it.
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
    if interactive:
        # The app shows the warnings as it starts, and they are printed once it has quit
        # (printed now, the app's screen would hide them).
        return _run_app(chosen, args, warnings=result.warnings)
    _warn(result.warnings)
    also_in = backports(result.releases)
    if args.json:
        return _emit(to_json(entries, also_in, chosen) + "\n")
    if args.markdown:
        markdown = to_checklist(entries) if args.checklist else to_markdown(entries)
        # Never an escape sequence; on a terminal, no zero-width or bidi character either.
        return _emit(clean_block(markdown) if sys.stdout.isatty() else clean_controls(markdown))
    return _emit(to_list(entries, also_in))


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
        warnings=warnings,
    )
    app.run()
    _warn(app.load_warnings)
    if app.exit_error is not None:
        return _fail(app.exit_error)
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
