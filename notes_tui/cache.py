"""A cache of parsed releases in the user's cache folder, as JSON: never pickle, never an error."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from notes_tui import parse as parse_module
from notes_tui.model import Entry, IssueRef, Link, Release, Section

CACHE_FORMAT = 3
"""Bumped whenever the JSON layout below changes."""

APP_NAME = "notes-tui"
"""The folder name under the platform's cache folder."""

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Cache files larger than this are not read (a cache folder may be shared)."""

_SUBFOLDER = "releases"
_write_problems: dict[Path, str | None] = {}
"""Cache folders that could not be written: why (until reported once), then None."""
_KEY = re.compile(r"[0-9a-f]{64}")
"""What `cache_key` returns; anything else never reaches the file system."""
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
        A sha256 hex digest of the bytes, `PARSER_VERSION`, the cache format, the base URL,
        the source and the options.
    """
    fields: list[object] = [CACHE_FORMAT, parse_module.PARSER_VERSION, base_url, source]
    if options:
        fields.append(options)
    header = json.dumps(fields)
    digest = hashlib.sha256(header.encode("ascii"))
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def cache_path(key: str) -> Path:
    """Return the file that holds the releases cached under a key.

    Args:
        key: From `cache_key`.

    Returns:
        `cache_dir()/releases/<key>.json`.
    """
    return cache_dir() / _SUBFOLDER / f"{key}.json"


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
    if isinstance(value, list):
        return [_decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(_TYPE_TAG)
    if tag is None:
        return {key: _decode_value(item) for key, item in value.items()}
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


# The model as JSON objects: one table of fields; reading checks every field's type.

Model = Link | IssueRef | Entry | Section | Release
"""The classes `to_dict` and `from_dict` convert."""
ModelT = TypeVar("ModelT", Link, IssueRef, Entry, Section, Release)
_Reader = Callable[[Any], Any]


def _typed(kind: type) -> _Reader:
    def read(value: Any) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CacheFormatError(f"expected {kind.__name__}, found {type(value).__name__}")
        return value

    return read


def _optional(reader: _Reader) -> _Reader:
    return lambda value: None if value is None else reader(value)


def _tuple_of(reader: _Reader) -> _Reader:
    return lambda value: tuple(reader(item) for item in _typed(list)(value))


def _model(cls: type[ModelT]) -> _Reader:
    return lambda value: from_dict(cls, value)


def _front_matter(value: Any) -> dict[Any, Any]:
    decoded = _decode_value(value)
    if not isinstance(decoded, dict):
        raise CacheFormatError("front matter is not an object")
    return decoded


_STR, _INT = _typed(str), _typed(int)
_STRINGS = _tuple_of(_STR)
_FIELDS: dict[type[Model], dict[str, _Reader]] = {
    Link: {"url": _STR, "label": _STR},
    IssueRef: {"repo": _STR, "number": _INT, "type": _STR, "url": _STR},
    Entry: {
        **dict.fromkeys(("release", "area", "area_key", "kind", "kind_label"), _STR),
        **dict.fromkeys(("summary", "markdown", "text", "source", "doc_kind"), _STR),
        "links": _tuple_of(_model(Link)),
        "issues": _tuple_of(_model(IssueRef)),
        "line": _INT,
        "cves": _STRINGS,
        "areas": _STRINGS,
        "author": _STR,
        "home_repo": _STR,
    },
    Section: {
        "title": _STR,
        "key": _STR,
        "entries": _tuple_of(_model(Entry)),
        "subsections": _tuple_of(_model(Section)),
        "prose": _STR,
    },
    Release: {
        **dict.fromkeys(("version", "title", "doc_kind", "source", "prose"), _STR),
        "date": _optional(_STR),
        "sections": _tuple_of(_model(Section)),
        "front_matter": _front_matter,
        "cves": _STRINGS,
        "cvss": _optional(_STR),
        "warnings": _STRINGS,
        "project": _STR,
        "format": _STR,
    },
}
"""Every field of every model class, with how to read it back from JSON."""


def _to_json(value: Any) -> Any:
    if isinstance(value, Link | IssueRef | Entry | Section | Release):
        return to_dict(value)
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    return value


def to_dict(obj: Model) -> dict[str, Any]:
    """Return a release, section, entry, issue reference or link as a JSON-safe object.

    Args:
        obj: The model object; nested objects are converted too.

    Returns:
        One key per field; tuples become lists; front matter dates and non-string keys
        are tagged (`{"__type__": "date", "value": "2025-09-03"}`).

    Raises:
        CacheFormatError: When front matter holds a value JSON cannot carry.
    """
    return {
        name: _encode_value(getattr(obj, name))
        if name == "front_matter"
        else _to_json(getattr(obj, name))
        for name in _FIELDS[type(obj)]
    }


def from_dict(cls: type[ModelT], value: Any) -> ModelT:
    """Read back an object written by `to_dict`, checking every field.

    Args:
        cls: The model class expected.
        value: The parsed JSON.

    Returns:
        The object.

    Raises:
        CacheFormatError: When the JSON has missing, unknown or mistyped fields.
    """
    readers = _FIELDS[cls]
    if not isinstance(value, dict) or value.keys() != readers.keys():
        raise CacheFormatError(f"not a {cls.__name__}: missing or unknown fields")
    return cls(**{name: read(value[name]) for name, read in readers.items()})


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
        with cache_path(key).open("rb") as handle:
            raw = handle.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_ENTRY_BYTES:
        return None
    try:
        document = json.loads(raw)
        if (
            not isinstance(document, dict)
            or document.get("format") != CACHE_FORMAT
            or document.get("parser_version") != parse_module.PARSER_VERSION
            or document.get("key") != key
            or not isinstance(document.get("releases"), list)
        ):
            return None
        return [from_dict(Release, item) for item in document["releases"]]
    except (ValueError, RecursionError, KeyError, TypeError):
        # ValueError covers bad JSON, bad UTF-8 and CacheFormatError; deep nesting recurses.
        return None


def store(key: str, releases: list[Release]) -> bool:
    """Cache the releases of a key, atomically: a temporary file, then a rename over the entry.

    Args:
        key: From `cache_key`.
        releases: The parsed releases.

    Returns:
        True when written; False when the folder cannot be written or the releases hold
        front matter JSON cannot carry (nothing is raised).
    """
    if not _KEY.fullmatch(key):
        return False
    try:
        document = {
            "format": CACHE_FORMAT,
            "parser_version": parse_module.PARSER_VERSION,
            "key": key,
            "releases": [to_dict(release) for release in releases],
        }
        # ASCII escapes keep any lone surrogate of the text exactly as it was.
        payload = json.dumps(document, separators=(",", ":"), ensure_ascii=True)
    except (CacheFormatError, ValueError, RecursionError):
        return False
    path = cache_path(key)
    temporary: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            # Encoded a slice at a time: no second copy of a payload that may be megabytes.
            for start in range(0, len(payload), _WRITE_CHUNK):
                stream.write(payload[start : start + _WRITE_CHUNK].encode("ascii"))
        # No fsync: a file torn by a crash reads as a miss and is written again.
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        _write_problems.setdefault(path.parent, error.strerror or str(error))
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return True


def cache_write_problem() -> str | None:
    """Tell, once per process, that the cache folder in use could not be written.

    Returns:
        A one-line warning the first time a write into `cache_dir()` failed; None
        when none failed, or once it was told.
    """
    folder = cache_dir() / _SUBFOLDER
    reason = _write_problems.get(folder)
    if reason is None:
        return None
    _write_problems[folder] = None
    return f"cannot write the cache in {folder} ({reason}); reading without it (--no-cache)"


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
        enabled: False to bypass the cache entirely.
        options: The other options `parse` was made with (they key the cache too).

    Returns:
        The releases.
    """
    if not enabled:
        return parse(text, source, base_url)
    key = cache_key(data, source, base_url, options)
    cached = load_cached(key)
    if cached is not None:
        return cached
    releases = parse(text, source, base_url)
    store(key, releases)
    return releases
