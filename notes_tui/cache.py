"""The per-file cache of parsed releases: where it lives, how entries are keyed, read, written."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs

from notes_tui import parse as parse_module
from notes_tui.cache_format import (
    CACHE_FORMAT,
    LAYOUT,
    CacheFormatError,
    releases_from_json,
    releases_json,
)
from notes_tui.model import Release

APP_NAME = "notes-tui"
"""The folder name under the platform's cache folder."""

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Cache files larger than this are not read (a cache folder may be shared)."""

MAX_CACHED_INPUT = 8 * 1024 * 1024
"""Files larger than this are parsed without the cache.

An entry is about two and a half times its file: one for a file over 25 MB would be over
`MAX_ENTRY_BYTES`, and building it costs several times the file in memory (a 50 MB file
peaked at 14x its size with the cache against 9x without). Parsing block by block keeps
such files within bounds; the cache is for the many small files of a folder."""

_SUBFOLDER = "releases"
_FOLDER_ENVIRONMENT = ("NOTES_TUI_HOME", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA")
"""The environment variables `cache_dir` (through `platformdirs`) depends on."""
_write_problems: dict[Path, str | None] = {}
"""Cache folders that could not be written: why (until reported once), then None."""
_KEY = re.compile(r"[0-9a-f]{64}")
"""What `cache_key` returns; anything else never reaches the file system."""
_WRITE_PROBLEM_START = "cannot write the cache in "
_WRITE_PROBLEM_END = "; reading without it (--no-cache)"
_WRITE_CHUNK = 1024 * 1024
"""How much of a cache file is encoded at a time."""


def cache_dir() -> Path:
    """Return the cache folder: `$NOTES_TUI_HOME/cache`, else the platform's user cache folder.

    The folder is not created here.

    Returns:
        The folder.
    """
    home = os.environ.get("NOTES_TUI_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME))


def cache_key(data: bytes, source: str, base_url: str, options: str = "") -> str:
    """Return the key of a file's parse: what the releases depend on, hashed.

    Args:
        data: The file's bytes.
        source: Its path (releases record it).
        base_url: The base relative links were resolved against.
        options: Any other parse option, as one string (`--format`, `--repo`).

    Returns:
        A sha256 hex digest of the bytes, `PARSER_VERSION`, the cache format, the model's
        fields, the base URL, the source and the options.
    """
    parts: list[object] = [CACHE_FORMAT, parse_module.PARSER_VERSION, LAYOUT, base_url, source]
    if options:
        parts.append(options)
    header = json.dumps(parts)
    digest = hashlib.sha256(header.encode("ascii"))
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def parse_options(forced_format: str | None, repo: str | None) -> str:
    """Return the parse options that key the cache besides the file: `--format` and `--repo`.

    Args:
        forced_format: The format every file is read in, or None to detect it.
        repo: The repository bare `#N` refers to, or None to infer it.

    Returns:
        One string; empty when neither is given, so that default keys stay as they were.
    """
    return f"format={forced_format or ''};repo={repo or ''}" if forced_format or repo else ""


def cache_path(key: str) -> Path:
    """Return the file that holds the releases cached under a key.

    Args:
        key: From `cache_key`.

    Returns:
        `cache_dir()/releases/<key>.json`.
    """
    return cache_dir() / _SUBFOLDER / f"{key}.json"


def _entry_path(key: str) -> str:
    """`cache_path` as a string: asked once per file read, it skips `platformdirs` (16 µs)."""
    return os.path.join(_entries_folder(*map(os.environ.get, _FOLDER_ENVIRONMENT)), f"{key}.json")


@functools.lru_cache(maxsize=8)
def _entries_folder(*environment: str | None) -> str:
    """`cache_dir()/releases`, for the values of `_FOLDER_ENVIRONMENT` that decide it."""
    return str(cache_dir() / _SUBFOLDER)


def is_cached(key: str) -> bool:
    """Tell whether an entry exists for a key (without reading it: it may still be damaged).

    Args:
        key: From `cache_key`.

    Returns:
        True when the cache folder holds a file for the key.
    """
    return bool(_KEY.fullmatch(key)) and os.path.isfile(_entry_path(key))


def load_cached(key: str) -> list[Release] | None:
    """Read the releases cached under a key.

    A missing, unreadable, oversized, damaged or truncated file, or one written for
    another key, cache format or parser version, reads as a miss.

    Args:
        key: From `cache_key`.

    Returns:
        The releases, or None on a miss.
    """
    if not _KEY.fullmatch(key):
        return None
    try:
        with open(_entry_path(key), "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # Sized by the file: `read(MAX_ENTRY_BYTES + 1)` would allocate 64 MB each time.
            raw = handle.read(min(size, MAX_ENTRY_BYTES) + 1)
    except OSError:
        return None
    if len(raw) > MAX_ENTRY_BYTES:
        return None
    try:
        return releases_from_json(raw, key)
    except CacheFormatError:
        return None


def store(key: str, releases: list[Release]) -> bool:
    """Cache the releases of a key, atomically: a temporary file, then a rename over the entry.

    Args:
        key: From `cache_key`.
        releases: The parsed releases.

    Returns:
        True when written; False when the folder cannot be written, the releases hold
        front matter JSON cannot carry, or the entry would be over `MAX_ENTRY_BYTES`
        (nothing is raised).
    """
    if not _KEY.fullmatch(key):
        return False
    try:
        payload = releases_json(key, releases)
    except CacheFormatError:
        return False
    if len(payload) > MAX_ENTRY_BYTES:
        return False  # It would never be read.
    path = _entry_path(key)
    # Encoded a slice at a time: no second copy of a payload that may be megabytes.
    slices = (
        payload[start : start + _WRITE_CHUNK].encode("ascii")
        for start in range(0, len(payload), _WRITE_CHUNK)
    )
    error = write_atomically(path, slices)
    if error is not None:
        _write_problems.setdefault(Path(path).parent, error.strerror or str(error))
        return False
    return True


def write_atomically(path: str, chunks: Iterable[bytes]) -> OSError | None:
    """Write a file as a temporary file beside it, renamed over it once complete.

    Readers see the old file or the new one, never a part. No fsync: a file torn by a crash
    reads as a miss (the cache's readers check what they read) and is written again.

    Args:
        path: The file; its folder is made if missing.
        chunks: Its contents, in order.

    Returns:
        None when written, else the error (the temporary file is gone).
    """
    folder = os.path.dirname(path)
    temporary: str | None = None
    try:
        try:
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        except FileNotFoundError:  # the first file there: no folder yet
            os.makedirs(folder, mode=0o700, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        return error
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return None


def is_write_problem(warning: str) -> bool:
    """Tell whether a warning is the one `cache_write_problem` returns.

    Args:
        warning: A warning line.

    Returns:
        True for the cache folder's write problem.
    """
    return warning.startswith(_WRITE_PROBLEM_START) and warning.endswith(_WRITE_PROBLEM_END)


def cache_write_problem() -> str | None:
    """Tell, once per process, that the cache folder in use could not be written.

    Returns:
        A one-line warning the first time a write into `cache_dir()` failed; None
        when none failed, or once it was told.
    """
    if not _write_problems:
        return None  # The usual case, asked after every file: no path to build.
    folder = cache_dir() / _SUBFOLDER
    reason = _write_problems.get(folder)
    if reason is None:
        return None
    _write_problems[folder] = None
    return f"{_WRITE_PROBLEM_START}{folder} ({reason}){_WRITE_PROBLEM_END}"


def parse_with_cache(
    data: bytes,
    text: str,
    source: str,
    base_url: str,
    parse: Callable[[str, str, str], list[Release]],
    enabled: bool = True,
    options: str = "",
    write: Callable[[str, list[Release]], object] = store,
) -> list[Release]:
    """Parse a file, or read its releases from the cache when its parse is cached.

    Args:
        data: The file's bytes (they key the cache).
        text: The file's decoded text.
        source: Its path, as the releases record it.
        base_url: Base for relative links.
        parse: The parser, called as `parse(text, source, base_url)` on a miss.
        enabled: False to bypass the cache entirely (it is bypassed for files over
            `MAX_CACHED_INPUT` too).
        options: The other options `parse` was made with (they key the cache too).
        write: Called as `write(key, releases)` on a miss: `store`, or what keeps the key
            to store the releases later.

    Returns:
        The releases.
    """
    if not enabled or len(data) > MAX_CACHED_INPUT:
        return parse(text, source, base_url)
    key = cache_key(data, source, base_url, options)
    cached = load_cached(key)
    if cached is not None:
        return cached
    releases = parse(text, source, base_url)
    write(key, releases)
    return releases
