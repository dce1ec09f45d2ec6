"""Reading one target (a file or standard input) into releases, and what each read gave."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from notes_tui.cache import cache_write_problem, parse_with_cache
from notes_tui.cache import store as cache_store
from notes_tui.inputs import LoadError, decode, read_bytes, read_stream
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse import parse_text
from notes_tui.parse.formats import format_names

if TYPE_CHECKING:
    from notes_tui.rows import Rows

STDIN = "-"
"""The path that means standard input."""
STDIN_LABEL = "<stdin>"
"""How warnings name standard input."""

EMPTY_FILE = "empty file; nothing to show"
"""What is said of a file with nothing but white space in it."""


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
    defer_cache_writes: bool = False
    """Write no cache entry while reading: `read_one` gives each parse the cache missed its
    key (`FileRead.cache_key`), and `CachedReads.save` writes them once the load is over
    (the app: once it is painted)."""


DEFAULT_READ = ReadOptions()
"""The defaults: links against Istio's site, no cache, formats detected, repository inferred."""


Store = Callable[[str, list[Release]], object]
"""Where a parse the cache missed goes, under its cache key: `cache.store` writes it now."""


class Reader(Protocol):
    """Reads one file: `read_target`, or a function like it."""

    def __call__(
        self,
        target: str | Path,
        *,
        base_url: str,
        stdin: BinaryIO | None,
        use_cache: bool,
        forced_format: str | None,
        repo: str | None,
        store: Store | None = None,
    ) -> tuple[list[Release], list[str]]:
        """Return a file's releases and warnings; raise `LoadError` when it cannot be read."""
        ...


@dataclass(frozen=True)
class FileRead:
    """What reading one target gave: its releases and warnings, or why it could not be read."""

    target: str | Path
    """The file, or `-`."""
    releases: list[Release] = field(default_factory=list)
    """Its releases (none when it could not be read)."""
    warnings: list[str] = field(default_factory=list)
    """Problems that did not stop the read, each naming the file."""
    error: str | None = None
    """Why the file could not be read at all (a `LoadError`'s one line), or None."""
    rows: Rows | None = field(default=None, repr=False, compare=False)
    """The releases as plain tuples, when they came that way (from a worker): a cache pack
    takes them as they are (`notes_tui.pack`)."""
    cache_key: str | None = field(default=None, compare=False)
    """The cache key the releases are still to be stored under (`defer_cache_writes`), or
    None (stored already, taken from the cache, or not cached)."""

    def result(self) -> tuple[list[Release], list[str]]:
        """Return what the reader returned for the file, or raise what it raised.

        Returns:
            The releases and the warnings.

        Raises:
            LoadError: When the file could not be read at all.
        """
        if self.error is not None:
            raise LoadError(self.error)
        return self.releases, self.warnings


def read_one(
    read: Reader, target: str | Path, options: ReadOptions, stdin: BinaryIO | None
) -> FileRead:
    """Read one target in this process, its `LoadError` kept as the read's error.

    With `options.defer_cache_writes`, a parse the cache missed is not stored: its key is
    kept in the read (`FileRead.cache_key`) for whoever stores it later.

    Args:
        read: The reader (`read_target`, or a function like it).
        target: A path, or `-`.
        options: How to read it.
        stdin: Where `-` reads from (standard input when None).

    Returns:
        What the read gave.
    """
    missed: list[str] = []

    def keep(key: str, releases: list[Release]) -> None:
        missed.append(key)

    try:
        releases, warnings = read(
            target,
            base_url=options.base_url,
            stdin=stdin,
            use_cache=options.use_cache,
            forced_format=options.forced_format,
            repo=options.repo,
            store=keep if options.defer_cache_writes else None,
        )
    except LoadError as error:
        return FileRead(target, error=str(error))
    return FileRead(target, releases, warnings, cache_key=missed[-1] if missed else None)


def read_target(
    target: str | Path,
    *,
    base_url: str = DEFAULT_BASE_URL,
    stdin: BinaryIO | None = None,
    use_cache: bool = False,
    forced_format: str | None = None,
    repo: str | None = None,
    store: Store | None = None,
) -> tuple[list[Release], list[str]]:
    """Read and parse one file (or standard input).

    Args:
        target: A path, or `-`.
        base_url: Base for relative links.
        stdin: Where `-` reads from (standard input by default).
        use_cache: Take the parse of an unchanged file from the cache, and store new ones.
        store: Where a new parse goes instead of the cache (`read_one` keeps its key when
            `ReadOptions.defer_cache_writes`); None: `cache.store`.
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
        data, source, label = read_stream(stream, STDIN_LABEL), STDIN, STDIN_LABEL
    else:
        data, source = read_bytes(Path(target)), str(target)
        label = source
    text, warnings = decode(data, label)
    if not text.strip():
        warnings.append(f"{label}: {EMPTY_FILE}")

    def parse(text: str, source: str, base_url: str) -> list[Release]:
        return parse_text(text, source, base_url, forced_format=forced_format, repo=repo)

    # The options join the cache key only when given, so default keys stay as they were.
    options = f"format={forced_format or ''};repo={repo or ''}" if forced_format or repo else ""
    try:
        releases = parse_with_cache(
            data,
            text,
            source,
            base_url,
            parse,
            enabled=use_cache,
            options=options,
            write=store or cache_store,
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
