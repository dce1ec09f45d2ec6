"""Paths, folders and standard input turned into releases."""

from __future__ import annotations

import codecs
import math
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from notes_tui.cache import cache_write_problem, parse_with_cache
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

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused before they are read; standard input once this much was read.

Over 100 times the largest release notes known (Kubernetes' `CHANGELOG-1.NN.md`, some
400 KB): room for a project's whole history in one file, or many files joined. Reading and
parsing take under 10 bytes of memory per byte of text (a large changelog is tokenised one
release block at a time, `parse.blockwise`), so this bounds a file's parse to some 640 MB.
"""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""No waiting for a writer should a FIFO be swapped in after the check; never a controlling tty."""


@dataclass(frozen=True)
class ReadOptions:
    """How every file is read: `read_target`'s keyword arguments but `stdin`."""

    base_url: str = DEFAULT_BASE_URL
    """Base for relative links."""
    use_cache: bool = False
    """Take unchanged files' parses from the cache, and store new ones."""
    forced_format: str | None = None
    """A format name (`--format`) that reads every file instead of detection."""
    repo: str | None = None
    """`owner/name` that bare `#N` refers to (`--repo`)."""


DEFAULT_READ = ReadOptions()
"""The defaults: links against Istio's site, no cache, formats detected, repository inferred."""


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
    """Read one regular file's bytes; FIFOs, devices and sockets are never opened.

    Args:
        path: The file.

    Returns:
        Its bytes.

    Raises:
        LoadError: When the file is missing, not a regular file, too large or unreadable.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file or folder") from None
    except OSError as error:
        raise LoadError(f"{path}: cannot read ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{path}: not a regular file")
    _check_size(path, info.st_size)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
        with os.fdopen(descriptor, "rb") as handle:
            # Checked again on what was opened: the path may have changed since `stat`.
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode):
                raise LoadError(f"{path}: not a regular file")
            # A read of the size told (and one byte to see the end): asking for the whole
            # limit allocates that much for every file. Then bounded, for a file that grew
            # or told no size (files in /proc).
            wanted = min(opened.st_size, MAX_FILE_BYTES) + 1
            data = handle.read(wanted)
            if len(data) == wanted:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        raise LoadError(f"{path}: cannot read ({error.strerror or error})") from None
    _check_size(path, len(data))
    return data


def read_stream(stream: BinaryIO, label: str) -> bytes:
    """Read standard input (or another stream), up to `MAX_FILE_BYTES`.

    Args:
        stream: The stream.
        label: Its name, for messages.

    Returns:
        Its bytes.

    Raises:
        LoadError: When it holds more than `MAX_FILE_BYTES`, or cannot be read.
    """
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise LoadError(f"{label}: cannot read ({error.strerror or error})") from None
    _check_size(label, len(data))
    return data


def _check_size(path: Path | str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        megabytes = math.ceil(size * 10 / 2**20) / 10  # rounded up: never "64.0 MB; up to 64 MB"
        raise LoadError(
            f"{path}: too large ({megabytes} MB; notes-tui reads files of up to "
            f"{MAX_FILE_BYTES // 2**20} MB)"
        )


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
    # Imported here: `parallel` builds on this module.
    from notes_tui.parallel import CachedReads

    result = LoadResult()
    errors: list[str] = []
    targets = plan_targets(paths, result.warnings)
    options = ReadOptions(base_url, use_cache, forced_format, repo)
    reads = CachedReads(read_target, targets, options, stdin=stdin)
    for read in reads:
        if read.error is not None:
            errors.append(read.error)
            continue
        result.warnings.extend(read.warnings)
        for release in read.releases:
            result.releases.append(release)
            if on_release is not None:
                on_release(release)
    reads.save()  # The cache's pack, for the next load of these files (`notes_tui.pack`).
    if errors and not result.releases:
        raise LoadError(errors[0])
    result.warnings.extend(errors)
    return result


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
        data, source, label = read_stream(stream, "<stdin>"), STDIN, "<stdin>"
    else:
        data, source = read_bytes(Path(target)), str(target)
        label = source
    text, warnings = decode(data, label)
    if not text.strip():
        warnings.append(f"{label}: empty file; nothing to show")

    def parse(text: str, source: str, base_url: str) -> list[Release]:
        return parse_text(text, source, base_url, forced_format=forced_format, repo=repo)

    # The options join the cache key only when given, so default keys stay as they were.
    options = f"format={forced_format or ''};repo={repo or ''}" if forced_format or repo else ""
    try:
        releases = parse_with_cache(
            data, text, source, base_url, parse, enabled=use_cache, options=options
        )
    except Exception as error:
        # A parser bug costs this one file, not the whole load, and is reported, not hidden.
        detail = " ".join(f"{type(error).__name__}: {error}".split())[:200]
        raise LoadError(
            f"{label}: notes-tui failed to parse this file ({detail}); please report it"
        ) from error
    if use_cache:
        problem = cache_write_problem()
        if problem is not None:
            warnings.append(problem)
    for release in releases:
        warnings.extend(f"{source}: {warning}" for warning in release.warnings)
    return releases, warnings
