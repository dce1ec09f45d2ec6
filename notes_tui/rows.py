"""Releases as plain tuples for `marshal`: the cache's packs, and what worker processes send."""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from typing import Any

from notes_tui.cache_format import (
    CODECS,
    FIELD_TYPES,
    FRONT_MATTER,
    OPTIONAL_STR,
    STRINGS,
    CacheFormatError,
    encode_value,
    field_types,
    front_matter_value,
)
from notes_tui.model import Release

_INTERNED_LENGTH = 80
"""Strings up to this long are written once per document (versions, areas, kinds, paths)."""

Rows = tuple[Any, ...]
"""Releases as `marshal`-able tuples (`encode_releases`)."""


# Releases as plain tuples: each object its fields in the model's order, nested objects as
# tuples of tuples, front matter as `notes_tui.cache_format` writes it in JSON.


def _row_types(cls: type) -> tuple[type, ...]:
    kinds = FIELD_TYPES[cls]
    return tuple(
        {str: str, int: int, OPTIONAL_STR: str, FRONT_MATTER: dict}.get(kind, tuple)
        for kind in (kinds[name] for name in CODECS[cls].names)
    )


class _TupleCodec:
    """One model class as a tuple of its fields, checked whole when read back."""

    def __init__(self, cls: type) -> None:
        codec = CODECS[cls]
        self.cls = cls
        self.get = codec.get
        kinds = [FIELD_TYPES[cls][name] for name in codec.names]
        self.types = _row_types(cls)
        self.optional = [i for i, kind in enumerate(kinds) if kind == OPTIONAL_STR]
        self.strings = [i for i, kind in enumerate(kinds) if kind in (str, OPTIONAL_STR)]
        self.lists = [i for i, kind in enumerate(kinds) if kind == STRINGS]
        self.front_matter = [i for i, kind in enumerate(kinds) if kind == FRONT_MATTER]
        self.nested: list[tuple[int, type]] = [
            (i, kind) for i, kind in enumerate(kinds) if isinstance(kind, type) and kind in CODECS
        ]
        self.plain = not (self.lists or self.front_matter or self.nested)
        """Whether the row is the object's fields as they are (links, issue references)."""

    def encode(self, obj: Any, interned: dict[str, str]) -> tuple[Any, ...]:
        row = list(self.get(obj))
        for index in self.strings:
            value = row[index]
            if value is not None and len(value) <= _INTERNED_LENGTH:
                row[index] = interned.setdefault(value, value)
        for index in self.lists:
            row[index] = tuple(interned.setdefault(value, value) for value in row[index])
        for index in self.front_matter:
            row[index] = encode_value(row[index])
        for index, kind in self.nested:
            encode = _TUPLE_CODECS[kind].encode
            row[index] = tuple([encode(item, interned) for item in row[index]])
        return tuple(row)

    def decode(self, row: Any) -> Any:
        if type(row) is not tuple or tuple(map(type, row)) != self.types:
            self._check_slowly(row)
        if self.plain:
            return self.cls(*row)
        values = list(row)
        for index in self.lists:
            strings = values[index]
            if strings and set(map(type, strings)) != {str}:  # most are empty
                raise CacheFormatError("expected strings")
        for index in self.front_matter:
            values[index] = front_matter_value(values[index])
        for index, kind in self.nested:
            decode = _TUPLE_CODECS[kind].decode
            values[index] = tuple([decode(item) for item in values[index]])
        return self.cls(*values)

    def _check_slowly(self, row: Any) -> None:
        """Accept a row whose only difference from `types` is a None where one may be."""
        name = self.cls.__name__
        if type(row) is not tuple or len(row) != len(self.types):
            raise CacheFormatError(f"not a {name}: not a tuple of its fields")
        if tuple(field_types(row, self.optional)) != self.types:
            raise CacheFormatError(f"not a {name}: missing or mistyped fields")


_TUPLE_CODECS: dict[Any, _TupleCodec] = {cls: _TupleCodec(cls) for cls in FIELD_TYPES}


def encode_releases(releases: Sequence[Release], interned: dict[str, str] | None = None) -> Rows:
    """Return releases as plain tuples, for `marshal`.

    Args:
        releases: The releases.
        interned: Short strings met so far (each is then written once); a new dict if None.

    Returns:
        One tuple per release: its fields in the model's order, nested objects as tuples.

    Raises:
        CacheFormatError: When front matter holds a value the cache cannot carry.
    """
    encode = _TUPLE_CODECS[Release].encode
    shared = {} if interned is None else interned
    return tuple(encode(release, shared) for release in releases)


def decode_releases(rows: Any) -> list[Release]:
    """Read back what `encode_releases` returned, checking every field's type.

    Args:
        rows: The tuples (as `marshal` gave them back).

    Returns:
        The releases.

    Raises:
        CacheFormatError: When the tuples do not describe releases.
    """
    if type(rows) is not tuple:
        raise CacheFormatError("not a tuple of releases")
    decode = _TUPLE_CODECS[Release].decode
    try:
        return [decode(row) for row in rows]
    except (TypeError, ValueError, RecursionError) as error:
        # ValueError covers CacheFormatError; a model class refusing its values, TypeError.
        raise CacheFormatError(str(error)[:200]) from None


def dump_releases(releases: Sequence[Release]) -> bytes:
    """Return releases as `marshal` bytes (what forked workers send back).

    Args:
        releases: The releases.

    Returns:
        The bytes.

    Raises:
        CacheFormatError: When front matter holds a value the cache cannot carry.
    """
    try:
        return marshal.dumps(encode_releases(releases))
    except ValueError as error:  # marshal refusing a value (CacheFormatError is one too)
        raise CacheFormatError(str(error)[:200]) from None


def load_releases(data: bytes) -> tuple[list[Release], Rows]:
    """Read back what `dump_releases` returned.

    Args:
        data: The bytes.

    Returns:
        The releases, and the tuples they were read from.

    Raises:
        CacheFormatError: When the bytes do not describe releases.
    """
    try:
        rows = marshal.loads(data)
    except (EOFError, ValueError, TypeError) as error:
        raise CacheFormatError(str(error)[:200]) from None
    return decode_releases(rows), rows
