"""What a load reads: the files under folders, standard input, or the bundled notes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from notes_tui.inputs import LoadError
from notes_tui.reading import STDIN

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
"""File endings read when walking a folder."""

BUNDLED_NOTES = "istio-1.28.0-change-notes.md"
"""The notes shown when no path is given."""


def bundled_notes_path() -> Path:
    """Return the path of the bundled notes, in an installed wheel or a checkout.

    Returns:
        The path of the bundled Markdown file.
    """
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "assets", package_dir.parent / "assets"):
        path = candidate / BUNDLED_NOTES
        if path.is_file():
            return path
    raise LoadError("the bundled notes are missing from this installation")


def markdown_files(folder: Path, warnings: list[str]) -> list[Path]:
    """List the Markdown files under a folder, recursively, sorted, never following links.

    Links, FIFOs, sockets and devices named `.md` are skipped, with one warning per folder.

    Args:
        folder: The folder.
        warnings: Where to report folders that cannot be listed, and what was skipped.

    Returns:
        Regular `.md`/`.markdown` files.
    """
    found: list[Path] = []
    skipped: list[Path] = []

    def report(error: OSError) -> None:
        warnings.append(f"{error.filename}: cannot list folder ({error.strerror or error})")

    for root, dirs, files in os.walk(folder, onerror=report, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.suffix.lower() in MARKDOWN_SUFFIXES:
                try:
                    regular = stat.S_ISREG(path.lstat().st_mode)
                except OSError as error:
                    warnings.append(f"{path}: cannot read ({error.strerror or error})")
                    continue
                (found if regular else skipped).append(path)
    if skipped:
        names = ", ".join(str(path) for path in skipped[:3])
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        warnings.append(
            f"{folder}: skipped {len(skipped)} Markdown name(s) that are not regular files "
            f"(links are not followed inside folders): {names}{more}"
        )
    return found


def expand_paths(
    paths: Sequence[str], warnings: list[str], problems: list[str] | None = None
) -> Iterator[str | Path]:
    """Turn the command line's paths into the files to read.

    A path that is no folder is yielded as it is, even when missing: reading it tells why
    it cannot be read, so that one bad path among good ones is a warning, not the end.

    Args:
        paths: Files, folders, or `-`.
        warnings: Where to report problems with folders.
        problems: Where to report a folder with no Markdown; raised when not given.

    Yields:
        `-` for standard input, or a file path.

    Raises:
        LoadError: For a folder with no Markdown, when `problems` is not given.
    """
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        try:
            # Follows links: a link given by name is what the user chose to read.
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except OSError:
            is_folder = False  # missing, a loop, or unreachable: reading it says which
        if not is_folder:
            yield path
            continue
        files = markdown_files(path, warnings)
        if files:
            yield from files
            continue
        problem = f"{path}: no Markdown files (.md, .markdown) in this folder"
        if problems is None:
            raise LoadError(problem)
        problems.append(problem)


def plan_targets(paths: Sequence[str], warnings: list[str]) -> list[str | Path]:
    """List what a load will read: files, `-`, or the bundled notes when no path is given.

    Args:
        paths: Files, folders or `-`.
        warnings: Where to report folders that cannot be listed or hold no Markdown.

    Returns:
        The files to read, in order.

    Raises:
        LoadError: When the paths name nothing to read (each a folder with no Markdown).
    """
    if not paths:
        return [bundled_notes_path()]
    problems: list[str] = []
    targets = list(expand_paths(paths, warnings, problems))
    if problems and not targets:
        raise LoadError(problems[0])
    warnings.extend(problems)
    return targets
