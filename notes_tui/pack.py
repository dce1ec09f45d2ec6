"""The cache's packs: the parses of a set of files in one file, checked by `stat`, read at once.

A folder of notes is hundreds of small files. Reading each one's cache entry (`notes_tui.cache`)
means reading and hashing the file, then opening, reading and decoding its entry: some ten
system calls a file, each of which gives the interpreter's lock away while the app draws its
first frames, and waits for it back. A pack holds the parses of every file of one load, as
`marshal` data of plain tuples (`notes_tui.rows`), with each file's `stat` signature (device,
inode, size, modification and change times): a file whose signature is unchanged is taken
from the pack without being read. The signatures are git's index's, with its guard against
"racy" files: a file changed within `SETTLE_NS` of the moment it was read is never trusted on
its signature (a change in the same clock tick would keep it), only on its content (the
per-file cache).

Packs (`notes_tui.pack_file`) are written atomically (a temporary file renamed over the pack),
carry the cache format, the parser version and a checksum of their contents, and are keyed by
the files they cover and the parse options: a missing, damaged, stale or unreadable pack, or
one entry of it, is a miss, never an error; the files it does not vouch for are read as
without it.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from notes_tui.cache import MAX_CACHED_INPUT, is_write_problem
from notes_tui.cache_format import CacheFormatError
from notes_tui.model import Release
from notes_tui.pack_file import PackEntry, Signature, pack_path, read_pack, signature, write_pack
from notes_tui.rows import Rows, decode_releases, encode_releases

SETTLE_NS = 2_000_000_000
"""A file modified or changed this close to (or after) the moment it was read is not trusted
on its signature: file times are coarse (a clock tick, two seconds on FAT), so a change right
after the read may leave them as they were."""


def _settled(sign: Signature, settled_before: int) -> bool:
    return sign[3] < settled_before and sign[4] < settled_before


# Reading through a pack.


@dataclass
class PackReader:
    """Finds which files of a load a pack vouches for, and writes the pack again after it.

    Made by `open_pack`; `vouches(index)` tells whether the pack holds a trusted parse of a
    file, `take(index)` gives it, `remember` keeps what was read otherwise, and `save` writes
    a new pack when some file that could be in it was not taken from it.
    """

    path: str
    """The pack's file."""
    sources: list[str | None]
    """Each target's source, None for what is never packed (standard input)."""
    started: int
    """When reading began (`time.time_ns`)."""
    entries: dict[str, PackEntry] = field(default_factory=dict)
    """The pack's entries, by source."""
    settled_before: int = 0
    """The pack's `settled_before`."""
    kept: dict[int, tuple[list[Release], list[str], PackEntry | None]] = field(default_factory=dict)
    """What each file read gave, by target position, for the next pack: its releases, its
    warnings, and its pack entry when it came from the pack."""
    rows: dict[int, Rows] = field(default_factory=dict)
    """The releases of files read without the pack, as tuples, when they came that way."""

    def vouches(self, index: int) -> bool:
        """Tell whether the pack holds a trusted parse of a file: its signature is unchanged.

        Args:
            index: The file's position among the targets.

        Returns:
            True when `take` may give the file's parse.
        """
        source = self.sources[index]
        entry = self.entries.get(source) if source is not None else None
        if entry is None or not _settled(entry.signature, self.settled_before):
            return False
        try:
            info = os.stat(source)  # type: ignore[arg-type]
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and signature(info) == entry.signature

    def take(self, index: int) -> tuple[list[Release], list[str]] | None:
        """Return the releases and warnings of a file the pack vouches for (`vouches`).

        Args:
            index: The file's position among the targets.

        Returns:
            Its releases and warnings; None when its entry is damaged (read it then).
        """
        source = self.sources[index]
        entry = self.entries.get(source) if source is not None else None
        if entry is None:
            return None
        try:
            releases = decode_releases(entry.rows)
        except CacheFormatError:
            return None
        self.kept[index] = (releases, entry.warnings, entry)
        return releases, list(entry.warnings)

    def remember(
        self, index: int, releases: list[Release], warnings: list[str], rows: Rows | None
    ) -> None:
        """Keep what reading a file without the pack gave, for the next pack.

        Args:
            index: The file's position among the targets.
            releases: Its releases.
            warnings: Its warnings.
            rows: Its releases as tuples, if they came that way.
        """
        self.kept[index] = (releases, [w for w in warnings if not is_write_problem(w)], None)
        if rows is not None:
            self.rows[index] = rows

    def save(self) -> bool:
        """Write the pack again when a file that could be in it was read without it.

        Files over `MAX_CACHED_INPUT`, or no longer regular files, are left out (and do not
        make the pack be written again).

        Returns:
            Whether a pack was written.
        """
        files: list[tuple[str, Signature, list[str], Rows | list[Release]]] = []
        fresh = False
        for index, (releases, warnings, entry) in sorted(self.kept.items()):
            source = self.sources[index]
            if source is None:
                continue
            if entry is not None:
                files.append((source, entry.signature, warnings, entry.rows))
                continue
            try:
                info = os.stat(source)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_CACHED_INPUT:
                files.append((source, signature(info), warnings, self.rows.get(index, releases)))
                fresh = True
        if not fresh:
            return False  # Every file that can be packed came from the pack.
        interned: dict[str, str] = {}
        entries: list[tuple[str, PackEntry]] = []
        for source, sign, warnings, found in files:
            try:
                rows = found if isinstance(found, tuple) else encode_releases(found, interned)
            except CacheFormatError:
                continue
            entries.append((source, PackEntry(sign, warnings, rows)))
        return write_pack(self.path, self.started - SETTLE_NS, entries)


def open_pack(
    targets: Sequence[str | Path],
    base_url: str,
    forced_format: str | None,
    repo: str | None,
    stdin_name: str = "-",
) -> PackReader:
    """Open the pack of a load (an empty reader when there is none yet).

    Args:
        targets: The files to read (`-` for standard input, never packed).
        base_url: Base for relative links.
        forced_format: `--format`, or None.
        repo: `--repo`, or None.
        stdin_name: How standard input is named among the targets.

    Returns:
        The reader.
    """
    started = time.time_ns()
    sources: list[str | None] = [
        None if target == stdin_name else str(target) for target in targets
    ]
    path = pack_path([s or stdin_name for s in sources], base_url, forced_format, repo)
    reader = PackReader(path, sources, started)
    found = read_pack(path)
    if found is not None:
        reader.settled_before, reader.entries = found
    return reader
