"""The cache entries' JSON (never pickle): releases as arrays of their fields, read back checked."""

from __future__ import annotations

import datetime
import hashlib
import json
import operator
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, TypeVar

from notes_tui import parse as parse_module
from notes_tui.model import Entry, IssueRef, Link, Release, Section

CACHE_FORMAT = 5
"""Bumped whenever the JSON layout below or the packs' layout (`notes_tui.pack_file`) changes
(model fields key entries by themselves). 5: packs of a load's files beside the entries."""

_TYPE_TAG = "__type__"


class CacheFormatError(ValueError):
    """A cache entry whose JSON does not describe releases; it is ignored and rebuilt."""


# Front matter: JSON values as they are; dates, datetimes and dicts JSON cannot hold are tagged.


def encode_value(value: Any) -> Any:
    """A front matter value as JSON can hold it (dates and non-string keys tagged)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        # A tuple comes back as a list: YAML front matter holds no tuples.
        return [encode_value(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {_TYPE_TAG: "datetime", "value": value.isoformat()}
    if isinstance(value, datetime.date):
        return {_TYPE_TAG: "date", "value": value.isoformat()}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and _TYPE_TAG not in value:
            return {key: encode_value(item) for key, item in value.items()}
        items = [[encode_value(key), encode_value(item)] for key, item in value.items()]
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


def front_matter_value(value: Any) -> dict[Any, Any]:
    """Front matter back from `encode_value`'s form; `CacheFormatError` when it is not one."""
    decoded = _decode_value(value)
    if not isinstance(decoded, dict):
        raise CacheFormatError("front matter is not an object")
    return decoded


# The model as JSON arrays: one per object, its fields in the model's order. Reading checks a
# whole row's types at once (`list(map(type, row))`), then builds the object positionally.

STRINGS, OPTIONAL_STR, FRONT_MATTER = "strings", "optional str", "front matter"
FIELD_TYPES: dict[type, dict[str, Any]] = {
    Link: {"url": str, "label": str},
    IssueRef: {"repo": str, "number": int, "type": str, "url": str},
    Entry: {
        **dict.fromkeys(("release", "area", "area_key", "kind", "kind_label"), str),
        **dict.fromkeys(("summary", "markdown", "text", "source", "doc_kind"), str),
        **dict.fromkeys(("author", "home_repo"), str),
        "links": Link,
        "issues": IssueRef,
        "line": int,
        "cves": STRINGS,
        "areas": STRINGS,
    },
    Section: {"title": str, "key": str, "entries": Entry, "subsections": Section, "prose": str},
    Release: {
        **dict.fromkeys(("version", "title", "doc_kind", "source", "prose"), str),
        **dict.fromkeys(("project", "format"), str),
        "date": OPTIONAL_STR,
        "sections": Section,
        "front_matter": FRONT_MATTER,
        "cves": STRINGS,
        "cvss": OPTIONAL_STR,
        "warnings": STRINGS,
    },
}
"""What every field of every model class holds (a model class: a list of those)."""
_JSON_TYPES: dict[Any, type] = {str: str, int: int, OPTIONAL_STR: str, FRONT_MATTER: dict}
"""The kinds above that are one JSON value, with its type."""

Model = Link | IssueRef | Entry | Section | Release
"""The classes `to_row` and `from_row` convert."""
ModelT = TypeVar("ModelT", Link, IssueRef, Entry, Section, Release)


def field_types(row: Sequence[Any], optional: Sequence[int]) -> list[type]:
    """The type of each value of a row, a None where a field is optional counted as a str.

    Args:
        row: A model object's field values, as stored.
        optional: The positions of its optional string fields.

    Returns:
        The types, to compare with what the model's fields hold.
    """
    types = list(map(type, row))
    for index in optional:
        if row[index] is None:
            types[index] = str
    return types


class _Codec:
    """One model class as JSON arrays: its fields in order, their JSON types, nested fields."""

    def __init__(self, cls: type[Model]) -> None:
        self.cls = cls
        self.names = tuple(field.name for field in fields(cls))
        kinds = [FIELD_TYPES[cls][name] for name in self.names]
        self.get = operator.attrgetter(*self.names)
        self.json_types: list[type] = [_JSON_TYPES.get(kind, list) for kind in kinds]
        """Each field's type once parsed (a None of an optional field counts as a str)."""
        self.optional = [index for index, kind in enumerate(kinds) if kind == OPTIONAL_STR]
        self.nested = [
            (index, kind)
            for index, kind in enumerate(kinds)
            if kind not in (str, int, OPTIONAL_STR)
        ]
        """The fields that are not held as they are: tuples, nested objects, front matter."""

    def encode(self, obj: Any) -> list[Any]:
        row = list(self.get(obj))
        for index, kind in self.nested:
            if kind == FRONT_MATTER:
                row[index] = encode_value(row[index])
            elif kind != STRINGS:  # tuples of strings are JSON arrays as they are
                encode = CODECS[kind].encode
                row[index] = [encode(item) for item in row[index]]
        return row

    def decode(self, row: Any) -> Any:
        if type(row) is not list or len(row) != len(self.json_types):
            raise CacheFormatError(f"not a {self.cls.__name__}: not an array of its fields")
        if field_types(row, self.optional) != self.json_types:
            raise CacheFormatError(f"not a {self.cls.__name__}: missing or mistyped fields")
        for index, kind in self.nested:
            value = row[index]
            if kind == STRINGS:
                if value and set(map(type, value)) != {str}:  # most are empty
                    raise CacheFormatError("expected strings")
                row[index] = tuple(value)
            elif kind == FRONT_MATTER:
                row[index] = front_matter_value(value)
            else:
                decode = CODECS[kind].decode
                row[index] = tuple([decode(item) for item in value])
        return self.cls(*row)


CODECS: dict[Any, _Codec] = {cls: _Codec(cls) for cls in FIELD_TYPES}
LAYOUT = hashlib.sha256(repr([c.names for c in CODECS.values()]).encode()).hexdigest()[:16]
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
    return CODECS[type(obj)].encode(obj)


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
    obj: ModelT = CODECS[cls].decode(row)
    return obj


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
        decode = CODECS[Release].decode
        return [decode(row) for row in document["releases"]]
    except (ValueError, RecursionError) as error:
        # ValueError covers bad JSON, bad UTF-8 and CacheFormatError; deep nesting recurses.
        raise CacheFormatError(str(error)[:200]) from None
