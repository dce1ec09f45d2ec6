"""A cache of parsed releases in the user's cache folder, as JSON: never pickle, never an error."""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from notes_tui import parse as parse_module
from notes_tui.model import Entry, IssueRef, Link, Release, Section

CACHE_FORMAT = 5
"""Bumped whenever the JSON layout below or the packs' layout (`notes_tui.pack`) changes
(model fields key entries by themselves). 5: packs of a load's files beside the entries."""

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
_TYPE_TAG = "__type__"
_WRITE_CHUNK = 1024 * 1024
"""How much of a cache file is encoded at a time."""


class CacheFormatError(ValueError):
    """A cache entry whose JSON does not describe releases; it is ignored and rebuilt."""


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
    parts: list[object] = [CACHE_FORMAT, parse_module.PARSER_VERSION, _LAYOUT, base_url, source]
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


# Front matter: JSON values as they are; dates, datetimes and dicts JSON cannot hold are tagged.


def _encode_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        # A tuple comes back as a list: YAML front matter holds no tuples.
        return [_encode_value(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {_TYPE_TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {_TYPE_TAG: "date", "value": value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and _TYPE_TAG not in value:
            return {key: _encode_value(item) for key, item in value.items()}
        items = [[_encode_value(key), _encode_value(item)] for key, item in value.items()]
        return {_TYPE_TAG: "dict", "items": items}
    raise CacheFormatError(f"front matter value of type {type(value).__name__} is not cached")


def _decode_value(value: Any) -> Any:
    # Strings, by far the most common values, are taken as they are without a call.
    if isinstance(value, list):
        return [item if type(item) is str else _decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(_TYPE_TAG)
    if tag is None:
        return {k: v if type(v) is str else _decode_value(v) for k, v in value.items()}
    try:
        if tag == "datetime":
            return datetime.datetime.fromisoformat(value["value"])
        if tag == "date":
            return datetime.date.fromisoformat(value["value"])
        if tag == "dict":
            return {_decode_value(key): _decode_value(item) for key, item in value["items"]}
    except (KeyError, TypeError, ValueError) as error:
        raise CacheFormatError(f"bad tagged value: {error}") from None
    raise CacheFormatError(f"unknown tag {tag!r}")


def _front_matter(value: Any) -> dict[Any, Any]:
    decoded = _decode_value(value)
    if not isinstance(decoded, dict):
        raise CacheFormatError("front matter is not an object")
    return decoded


# The model as JSON arrays: one per object, its fields in the model's order. Reading checks a
# whole row's types at once (`list(map(type, row))`), then builds the object positionally.

_STRINGS, _OPTIONAL_STR, _FRONT_MATTER = "strings", "optional str", "front matter"
_FIELD_TYPES: dict[type, dict[str, Any]] = {
    Link: {"url": str, "label": str},
    IssueRef: {"repo": str, "number": int, "type": str, "url": str},
    Entry: {
        **dict.fromkeys(("release", "area", "area_key", "kind", "kind_label"), str),
        **dict.fromkeys(("summary", "markdown", "text", "source", "doc_kind"), str),
        **dict.fromkeys(("author", "home_repo"), str),
        "links": Link,
        "issues": IssueRef,
        "line": int,
        "cves": _STRINGS,
        "areas": _STRINGS,
    },
    Section: {"title": str, "key": str, "entries": Entry, "subsections": Section, "prose": str},
    Release: {
        **dict.fromkeys(("version", "title", "doc_kind", "source", "prose"), str),
        **dict.fromkeys(("project", "format"), str),
        "date": _OPTIONAL_STR,
        "sections": Section,
        "front_matter": _FRONT_MATTER,
        "cves": _STRINGS,
        "cvss": _OPTIONAL_STR,
        "warnings": _STRINGS,
    },
}
"""What every field of every model class holds (a model class: a list of those)."""
_JSON_TYPES: dict[Any, type] = {str: str, int: int, _OPTIONAL_STR: str, _FRONT_MATTER: dict}
"""The kinds above that are one JSON value, with its type."""

Model = Link | IssueRef | Entry | Section | Release
"""The classes `to_row` and `from_row` convert."""
ModelT = TypeVar("ModelT", Link, IssueRef, Entry, Section, Release)


class _Codec:
    """One model class as JSON arrays: its fields in order, their JSON types, nested fields."""

    def __init__(self, cls: type[Model]) -> None:
        self.cls = cls
        self.names = tuple(field.name for field in fields(cls))
        kinds = [_FIELD_TYPES[cls][name] for name in self.names]
        self.get = operator.attrgetter(*self.names)
        self.json_types: list[type] = [_JSON_TYPES.get(kind, list) for kind in kinds]
        """Each field's type once parsed (a None of an optional field counts as a str)."""
        self.optional = [index for index, kind in enumerate(kinds) if kind == _OPTIONAL_STR]
        self.nested = [
            (index, kind)
            for index, kind in enumerate(kinds)
            if kind not in (str, int, _OPTIONAL_STR)
        ]
        """The fields that are not held as they are: tuples, nested objects, front matter."""

    def encode(self, obj: Any) -> list[Any]:
        row = list(self.get(obj))
        for index, kind in self.nested:
            if kind == _FRONT_MATTER:
                row[index] = _encode_value(row[index])
            elif kind != _STRINGS:  # tuples of strings are JSON arrays as they are
                encode = _CODECS[kind].encode
                row[index] = [encode(item) for item in row[index]]
        return row

    def decode(self, row: Any) -> Any:
        if type(row) is not list or len(row) != len(self.json_types):
            raise CacheFormatError(f"not a {self.cls.__name__}: not an array of its fields")
        types = list(map(type, row))
        for index in self.optional:
            if row[index] is None:
                types[index] = str
        if types != self.json_types:
            raise CacheFormatError(f"not a {self.cls.__name__}: missing or mistyped fields")
        for index, kind in self.nested:
            value = row[index]
            if kind == _STRINGS:
                if value and set(map(type, value)) != {str}:  # most are empty
                    raise CacheFormatError("expected strings")
                row[index] = tuple(value)
            elif kind == _FRONT_MATTER:
                row[index] = _front_matter(value)
            else:
                decode = _CODECS[kind].decode
                row[index] = tuple([decode(item) for item in value])
        return self.cls(*row)


_CODECS: dict[Any, _Codec] = {cls: _Codec(cls) for cls in _FIELD_TYPES}
_LAYOUT = hashlib.sha256(repr([c.names for c in _CODECS.values()]).encode()).hexdigest()[:16]
"""Names the layout above: a model with other fields keys other cache entries."""


def to_row(obj: Model) -> list[Any]:
    """Return a release, section, entry, issue reference or link as a JSON array.

    Args:
        obj: The model object; nested objects are converted too.

    Returns:
        Its fields in the model's order; nested objects as arrays; front matter dates and
        non-string keys tagged (`{"__type__": "date", "value": "2025-09-03"}`).

    Raises:
        CacheFormatError: When front matter holds a value JSON cannot carry.
    """
    return _CODECS[type(obj)].encode(obj)


def from_row(cls: type[ModelT], row: Any) -> ModelT:
    """Read back an object written by `to_row`, checking every field's type.

    Args:
        cls: The model class expected.
        row: The parsed JSON (its arrays are reused for the objects' fields).

    Returns:
        The object.

    Raises:
        CacheFormatError: When the JSON has missing, extra or mistyped fields.
    """
    obj: ModelT = _CODECS[cls].decode(row)
    return obj


def is_cached(key: str) -> bool:
    """Tell whether an entry exists for a key (without reading it: it may still be damaged).

    Args:
        key: From `cache_key`.

    Returns:
        True when the cache folder holds a file for the key.
    """
    return bool(_KEY.fullmatch(key)) and os.path.isfile(_entry_path(key))


def releases_json(key: str, releases: list[Release]) -> str:
    """Return the cache document of a key's releases.

    Args:
        key: From `cache_key` (or empty, for releases passed between processes).
        releases: The releases.

    Returns:
        ASCII JSON: the cache format, the parser version, the key, and the releases as
        arrays (`to_row`). ASCII escapes keep any lone surrogate of the text as it was.

    Raises:
        CacheFormatError: When front matter holds a value JSON cannot carry.
    """
    document = {
        "format": CACHE_FORMAT,
        "parser_version": parse_module.PARSER_VERSION,
        "key": key,
        "releases": [to_row(release) for release in releases],
    }
    try:
        # Rows of frozen objects hold no cycles (one would end as a RecursionError below).
        return json.dumps(document, separators=(",", ":"), ensure_ascii=True, check_circular=False)
    except (TypeError, ValueError, RecursionError) as error:
        raise CacheFormatError(f"cannot write the releases as JSON: {error}") from None


def releases_from_json(raw: bytes | str, key: str) -> list[Release]:
    """Read back a document written by `releases_json`, checking it whole.

    Args:
        raw: The document.
        key: The key it must have been written for.

    Returns:
        The releases.

    Raises:
        CacheFormatError: When it is not JSON, is damaged or truncated, or was written for
            another key, cache format or parser version.
    """
    try:
        document = json.loads(raw)
        if (
            not isinstance(document, dict)
            or document.get("format") != CACHE_FORMAT
            or document.get("parser_version") != parse_module.PARSER_VERSION
            or document.get("key") != key
            or not isinstance(document.get("releases"), list)
        ):
            raise CacheFormatError("another key, cache format or parser version")
        decode = _CODECS[Release].decode
        return [decode(row) for row in document["releases"]]
    except (ValueError, RecursionError) as error:
        # ValueError covers bad JSON, bad UTF-8 and CacheFormatError; deep nesting recurses.
        raise CacheFormatError(str(error)[:200]) from None


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
    store(key, releases)
    return releases
