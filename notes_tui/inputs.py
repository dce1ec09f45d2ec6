"""Inputs read with care: a regular file's or standard input's bytes, within limits, as text."""

from __future__ import annotations

import codecs
import math
import os
import stat
from pathlib import Path
from typing import BinaryIO

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused before they are read; standard input once this much was read.

Over 100 times the largest release notes known (Kubernetes' `CHANGELOG-1.NN.md`, some
400 KB): room for a project's whole history in one file, or many files joined. Reading and
parsing take under 10 bytes of memory per byte of text (a large changelog is tokenised one
release block at a time, `parse.blockwise`), so this bounds a file's parse to some 640 MB.
"""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
"""No waiting for a writer should a FIFO be swapped in after the check; never a controlling tty."""


class LoadError(Exception):
    """An input that cannot be read at all; its message is one line for the user."""


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
