"""The pack file: its name, its checked layout, and reading and writing it whole."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Sequence
from dataclasses import dataclass

from notes_tui import parse as parse_module
from notes_tui.cache import cache_dir, parse_options, write_atomically
from notes_tui.cache_format import CACHE_FORMAT, LAYOUT
from notes_tui.rows import Rows

MAX_PACK_BYTES = 256 * 1024 * 1024
"""Packs larger than this are neither written nor read."""

_MAGIC = b"notes-tui pack\n"
_DIGEST_SIZE = 16
_SUBFOLDER = "packs"

Signature = tuple[int, int, int, int, int]
"""`(device, inode, size, modification ns, change ns)` of a file."""


# Signatures.


def signature(info: os.stat_result) -> Signature:
    """Return what identifies a file's contents, as long as it is not changed within a tick.

    Args:
        info: The file's `stat`.

    Returns:
        `(device, inode, size, modification ns, change ns)`.
    """
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


# The pack file.


def pack_path(
    sources: Sequence[str], base_url: str, forced_format: str | None, repo: str | None
) -> str:
    """Return the file of the pack that covers these files, read with these options.

    Args:
        sources: The files, as the releases record them, in order.
        base_url: Base for relative links.
        forced_format: `--format`, or None.
        repo: `--repo`, or None.

    Returns:
        `cache_dir()/packs/<sha256 of the format, the parser, the options and the files>`.
    """
    options = parse_options(forced_format, repo)
    parts = [CACHE_FORMAT, parse_module.PARSER_VERSION, LAYOUT, base_url, options, *sources]
    name = hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return os.path.join(cache_dir(), _SUBFOLDER, f"{name}.pack")


@dataclass
class PackEntry:
    """What a pack holds for one file."""

    signature: Signature
    """The file's signature when it was read."""
    warnings: list[str]
    """The warnings reading it gave (the cache's write problems left out)."""
    rows: Rows
    """Its releases (`encode_releases`)."""


def read_pack(path: str) -> tuple[int, dict[str, PackEntry]] | None:
    """Read a pack.

    Args:
        path: From `pack_path`.

    Returns:
        The time before which its files were settled (ns), and its entries by source; None
        when the pack is missing, unreadable, damaged, or of another format or parser.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PACK_BYTES:
                return None
            raw = handle.read(size + 1)
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST_SIZE
    if not raw.startswith(_MAGIC) or len(raw) <= head:
        return None
    body = memoryview(raw)[head:]
    if hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest() != raw[len(_MAGIC) : head]:
        return None  # damaged or truncated: never handed to `marshal`
    try:
        document = marshal.loads(body)
        version, parser, name, settled_before, files = document
        if (version, parser, name) != (CACHE_FORMAT, parse_module.PARSER_VERSION, _name(path)):
            return None
        if type(settled_before) is not int or type(files) is not tuple:
            return None
        entries: dict[str, PackEntry] = {}
        for source, sign, warnings, rows in files:
            if (
                type(source) is not str
                or type(sign) is not tuple
                or len(sign) != 5
                or any(type(part) is not int for part in sign)
                or type(warnings) is not tuple
                or any(type(warning) is not str for warning in warnings)
                or type(rows) is not tuple
            ):
                return None
            entries[source] = PackEntry(sign, list(warnings), rows)
    except (EOFError, ValueError, TypeError):
        return None  # not what `write_pack` writes (a tuple of the wrong size: ValueError)
    return settled_before, entries


def _name(path: str) -> str:
    return os.path.basename(path).removesuffix(".pack")


def write_pack(path: str, settled_before: int, files: Sequence[tuple[str, PackEntry]]) -> bool:
    """Write a pack atomically: a temporary file, then a rename over the pack.

    Args:
        path: From `pack_path`.
        settled_before: Files changed at or after this time (ns) are not trusted on their
            signatures: the moment reading began, less `notes_tui.pack.SETTLE_NS`.
        files: The source and entry of each file, in order.

    Returns:
        Whether it was written (never raises: a pack that cannot be written is no pack).
    """
    document = (
        CACHE_FORMAT,
        parse_module.PARSER_VERSION,
        _name(path),
        settled_before,
        tuple(
            (source, entry.signature, tuple(entry.warnings), entry.rows) for source, entry in files
        ),
    )
    try:
        body = marshal.dumps(document)
    except ValueError:
        return False
    if len(body) + len(_MAGIC) + _DIGEST_SIZE > MAX_PACK_BYTES:
        return False
    digest = hashlib.blake2b(body, digest_size=_DIGEST_SIZE).digest()
    return write_atomically(path, (_MAGIC, digest, body)) is None
