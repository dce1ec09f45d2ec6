"""Paths, folders and standard input turned into releases."""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from notes_tui.cache import parse_with_cache
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse import parse_text
from notes_tui.parse.formats import format_names

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
"""File endings read when walking a folder."""

BUNDLED_NOTES = "istio-1.28.0-change-notes.md"
"""The notes shown when no path is given."""

STDIN = "-"
"""The path that means standard input."""


class LoadError(Exception):
    """An input that cannot be read at all; its message is one line for the user."""


@dataclass
class LoadResult:
    """What a load produced: releases, and warnings about what could not be read."""

    releases: list[Release] = field(default_factory=list)
    """Every release read, in input order."""
    warnings: list[str] = field(default_factory=list)
    """One line per problem that did not stop the load."""


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


def decode(data: bytes, source: str) -> tuple[str, list[str]]:
    """Decode a file's bytes as text.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are read; broken UTF-8 is
    decoded with replacement characters and reported with its first bad line.
    Line endings are normalised to `\\n`.

    Args:
        data: The raw bytes.
        source: The path, for messages.

    Returns:
        The text and any warnings.

    Raises:
        LoadError: For binary data (NUL bytes outside UTF-16).
    """
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        if b"\x00" in data:
            raise LoadError(f"{source}: binary file (contains NUL bytes), not Markdown")
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            warnings.append(f"{source}:{line}: invalid UTF-8; undecodable bytes shown as \ufffd")
            text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def read_bytes(path: Path) -> bytes:
    """Read one regular file's bytes.

    Args:
        path: The file.

    Returns:
        Its bytes.

    Raises:
        LoadError: When the file is missing, not a regular file, or unreadable.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file or folder") from None
    except OSError as error:
        raise LoadError(f"{path}: cannot read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{path}: not a regular file")
    try:
        with path.open("rb") as handle:
            return handle.read()
    except OSError as error:
        raise LoadError(f"{path}: cannot read ({error.strerror or error})") from None


def read_file(path: Path) -> tuple[str, list[str]]:
    """Read one regular file as text.

    Args:
        path: The file.

    Returns:
        The text and any warnings.

    Raises:
        LoadError: When the file is missing, not a regular file, unreadable or binary.
    """
    return decode(read_bytes(path), str(path))


def markdown_files(folder: Path, warnings: list[str]) -> list[Path]:
    """List the Markdown files under a folder, recursively, sorted, never following links.

    Args:
        folder: The folder.
        warnings: Where to report folders that cannot be listed.

    Returns:
        Regular `.md`/`.markdown` files.
    """
    found: list[Path] = []

    def report(error: OSError) -> None:
        warnings.append(f"{error.filename}: cannot list folder ({error.strerror or error})")

    for root, dirs, files in os.walk(folder, onerror=report, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.suffix.lower() in MARKDOWN_SUFFIXES:
                try:
                    if stat.S_ISREG(path.lstat().st_mode):
                        found.append(path)
                except OSError:
                    continue
    return found


def expand_paths(paths: Sequence[str], warnings: list[str]) -> Iterator[str | Path]:
    """Turn the command line's paths into the files to read.

    Args:
        paths: Files, folders, or `-`.
        warnings: Where to report problems with folders.

    Yields:
        `-` for standard input, or a file path.

    Raises:
        LoadError: For a missing path or a folder with no Markdown.
    """
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            files = markdown_files(path, warnings)
            if not files:
                raise LoadError(f"{path}: no Markdown files (.md, .markdown) in this folder")
            yield from files
        elif path.exists() or path.is_symlink():
            yield path
        else:
            raise LoadError(f"{path}: no such file or folder")


def load(
    paths: Sequence[str],
    *,
    base_url: str = DEFAULT_BASE_URL,
    stdin: BinaryIO | None = None,
    on_release: Callable[[Release], None] | None = None,
    use_cache: bool = False,
    forced_format: str | None = None,
    repo: str | None = None,
) -> LoadResult:
    """Load release notes from files, folders and standard input.

    A file that cannot be read is a warning when others were read; when nothing at
    all could be read the first problem is raised.

    Args:
        paths: Files, folders or `-`; empty for the bundled notes.
        base_url: Base for relative links.
        stdin: Where `-` reads from (standard input by default).
        on_release: Called with each release as soon as it is parsed.
        use_cache: Use the parse cache (see `notes_tui.cache`).
        forced_format: Read every file in this format (`--format`) instead of detecting it.
        repo: `owner/name` that bare `#N` refers to (`--repo`), instead of inferring it.

    Returns:
        The releases and warnings.

    Raises:
        LoadError: When nothing could be read.
    """
    result = LoadResult()
    errors: list[str] = []
    for target in plan_targets(paths, result.warnings):
        try:
            releases, warnings = read_target(
                target,
                base_url=base_url,
                stdin=stdin,
                use_cache=use_cache,
                forced_format=forced_format,
                repo=repo,
            )
        except LoadError as error:
            errors.append(str(error))
            continue
        result.warnings.extend(warnings)
        for release in releases:
            result.releases.append(release)
            if on_release is not None:
                on_release(release)
    if errors and not result.releases:
        raise LoadError(errors[0])
    result.warnings.extend(errors)
    return result


def plan_targets(paths: Sequence[str], warnings: list[str]) -> list[str | Path]:
    """List what a load will read: files, `-`, or the bundled notes when no path is given.

    Args:
        paths: Files, folders or `-`.
        warnings: Where to report folders that cannot be listed.

    Returns:
        The files to read, in order.

    Raises:
        LoadError: For a missing path or a folder with no Markdown.
    """
    return list(expand_paths(paths, warnings)) if paths else [bundled_notes_path()]


def read_target(
    target: str | Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    stdin: BinaryIO | None = None,
    use_cache: bool = False,
    forced_format: str | None = None,
    repo: str | None = None,
) -> tuple[list[Release], list[str]]:
    """Read and parse one file (or standard input).

    Args:
        target: A path, or `-`.
        base_url: Base for relative links.
        stdin: Where `-` reads from (standard input by default).
        use_cache: Take the parse of an unchanged file from the cache, and store new ones.
        forced_format: A format name (`--format`) that reads the file instead of detection.
        repo: `owner/name` that bare `#N` refers to (`--repo`).

    Returns:
        The releases and the warnings (each naming the file).

    Raises:
        LoadError: When the file cannot be read at all, or the format is unknown.
    """
    if forced_format is not None and forced_format not in format_names():
        raise LoadError(f"unknown format {forced_format!r} (--list-formats lists them)")
    if target == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        data, source, label = stream.read(), STDIN, "<stdin>"
    else:
        data, source = read_bytes(Path(target)), str(target)
        label = source
    text, warnings = decode(data, label)

    def parse(text: str, source: str, base_url: str) -> list[Release]:
        return parse_text(text, source, base_url, forced_format=forced_format, repo=repo)

    # The options join the cache key only when given, so default keys stay as they were.
    options = f"format={forced_format or ''};repo={repo or ''}" if forced_format or repo else ""
    releases = parse_with_cache(
        data, text, source, base_url, parse, enabled=use_cache, options=options
    )
    for release in releases:
        warnings.extend(f"{source}: {warning}" for warning in release.warnings)
    return releases, warnings
