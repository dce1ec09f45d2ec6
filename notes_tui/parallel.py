"""Reading many files in input order: in worker processes when that pays, through the pack."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from notes_tui.cache import (
    cache_key,
    cache_write_problem,
    is_cached,
    is_write_problem,
    parse_options,
    store,
)
from notes_tui.inputs import LoadError, read_bytes
from notes_tui.model import Release
from notes_tui.pack import PackReader, open_pack
from notes_tui.parse.formats import format_names
from notes_tui.reading import DEFAULT_READ, STDIN, FileRead, Reader, ReadOptions, read_one
from notes_tui.workers import MAX_WORKER_FILE_BYTES, Pool, Stopped

MIN_POOL_BYTES = 256 * 1024
"""Fewer bytes to read than this are parsed in this process: starting workers would not pay."""

PROBE_FILES = 8
"""How many files (spread over the list) tell whether the cache holds the parse of most."""


def read_in_order(
    read: Reader,
    targets: Sequence[str | Path],
    options: ReadOptions = DEFAULT_READ,
    *,
    stdin: BinaryIO | None = None,
    processes: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    before_workers: Callable[[], None] | None = None,
) -> Generator[FileRead, None, None]:
    """Read files with `read`, in worker processes when that pays; results in input order.

    Workers are forked (Linux only) when there are at least two files, `MIN_POOL_BYTES` in
    all, and the cache (when used) does not already hold a sample of them; otherwise, or when
    no process can be started, the files are read here, one after the other. Either way the
    results are the same: a worker sends the releases back as `marshal` tuples, and a file
    whose worker failed is read again here. Stopping early (closing the iterator, or
    `should_stop`) stops the workers.

    Args:
        read: The reader (`notes_tui.reading.read_target`), run in the workers as it is.
        targets: Files, or `-`; `-` and files over `MAX_WORKER_FILE_BYTES` are read in
            this process, in their turn.
        options: How to read them.
        stdin: Where `-` reads from (standard input by default).
        processes: How many workers at most; by default one per usable CPU.
        should_stop: Asked before each file and while waiting for a worker; True ends the
            iteration early.
        before_workers: Called before worker processes are started (not when the files are
            read here); it may wait (the app waits for its first frame).

    Yields:
        One `FileRead` per target, in the order of `targets`.
    """
    count, shared = _plan(targets, options, processes)
    if count > 1 and before_workers is not None:
        before_workers()
        if should_stop is not None and should_stop():
            return
    pool = Pool.start(count, read, targets, options, shared) if count > 1 else None
    if pool is None:
        for target in targets:
            if should_stop is not None and should_stop():
                return
            yield read_one(read, target, options, stdin)
        return
    told: set[str] = set()
    try:
        for index, target in enumerate(targets):
            if should_stop is not None and should_stop():
                return
            done = pool.result(index, should_stop)
            if done is None:  # `-`, a large file, a worker lost, or releases it could not send
                done = read_one(read, target, options, stdin)
            yield _once(done, told)
    except Stopped:
        return
    finally:
        pool.close()


class CachedReads:
    """`read_in_order` through the cache's pack (`notes_tui.pack`), when the cache is used.

    Iterating yields one `FileRead` per target, in order: files the pack vouches for (their
    signatures unchanged) come from it without being read; the others are read by
    `read_in_order` (in workers when that pays) as without a pack. Once every file was
    read, `save` writes the pack again if some file that belongs in it was not taken from it,
    and, with `ReadOptions.defer_cache_writes`, the per-file entries left unwritten.
    """

    def __init__(
        self,
        read: Reader,
        targets: Sequence[str | Path],
        options: ReadOptions = DEFAULT_READ,
        *,
        stdin: BinaryIO | None = None,
        processes: int | None = None,
        should_stop: Callable[[], bool] | None = None,
        before_workers: Callable[[], None] | None = None,
    ) -> None:
        self._read = read
        self._before_workers = before_workers
        self._targets = list(targets)
        self._options = options
        self._stdin = stdin
        self._processes = processes
        self._should_stop = should_stop
        known_format = options.forced_format is None or options.forced_format in format_names()
        self.pack: PackReader | None = None
        """The pack, when the cache is used (an unknown `--format` is an error for each file)."""
        if options.use_cache and known_format:
            self.pack = open_pack(
                self._targets, options.base_url, options.forced_format, options.repo, STDIN
            )
        self.finished = False
        """Whether every file was read (then `save` may write the pack)."""
        self.write_problem: str | None = None
        """Why the cache could not be written, once `save` found it so (told once a process)."""
        self._unstored: list[tuple[str, list[Release]]] = []
        """The parses read and not stored yet (`defer_cache_writes`): key and releases."""
        self._reads = self._generate()

    def __iter__(self) -> Iterator[FileRead]:
        return self._reads

    def close(self) -> None:
        """Stop reading: the worker processes stop now, not when collected."""
        self._reads.close()

    def save(self) -> bool:
        """Write the pack when every file was read and the pack did not hold them all; then
        the per-file entries of what was read, when their writes were deferred.

        The entries stop when `should_stop` says so. A cache folder that cannot be written
        is told in `write_problem`.

        Returns:
            Whether a pack was written.
        """
        # The pack first: it is what makes the next start fast.
        written = self.finished and self.pack is not None and self.pack.save()
        unstored, self._unstored = self._unstored, []
        for key, releases in unstored:
            if self._should_stop is not None and self._should_stop():
                break
            store(key, releases)
        if unstored:
            self.write_problem = cache_write_problem()
        return written

    def _read_in_order(self, targets: list[str | Path]) -> Generator[FileRead, None, None]:
        """`read_in_order` of some targets, with this reader's settings."""
        return read_in_order(
            self._read,
            targets,
            self._options,
            stdin=self._stdin,
            processes=self._processes,
            should_stop=self._should_stop,
            before_workers=self._before_workers,
        )

    def _generate(self) -> Generator[FileRead, None, None]:
        read, targets, options, pack = self._read, self._targets, self._options, self.pack
        should_stop = self._should_stop
        if pack is None:  # then the cache is not used: nothing to store
            yield from self._read_in_order(targets)
            return
        vouched = [pack.vouches(index) for index in range(len(targets))]
        rest = self._read_in_order(
            [target for target, found in zip(targets, vouched, strict=True) if not found]
        )
        try:
            for index, target in enumerate(targets):
                if should_stop is not None and should_stop():
                    return
                taken = pack.take(index) if vouched[index] else None
                if taken is not None:
                    yield FileRead(target, *taken)
                    continue
                done = next(rest, None) if not vouched[index] else None
                if done is None:
                    if not vouched[index]:
                        return  # stopped while waiting
                    done = read_one(read, target, options, self._stdin)  # a damaged entry
                if done.error is None:
                    pack.remember(index, done.releases, done.warnings, done.rows)
                    if done.cache_key is not None:
                        self._unstored.append((done.cache_key, done.releases))
                yield done
            self.finished = True
        finally:
            rest.close()


def _once(read: FileRead, told: set[str]) -> FileRead:
    """Keep the cache's write problem once: each worker tells it once, as a process does."""
    if not any(is_write_problem(warning) for warning in read.warnings):
        return read
    warnings = [w for w in read.warnings if not (is_write_problem(w) and w in told)]
    told.update(w for w in read.warnings if is_write_problem(w))
    return dataclasses.replace(read, warnings=warnings)


def _plan(
    targets: Sequence[str | Path], options: ReadOptions, processes: int | None
) -> tuple[int, list[int]]:
    """How many workers to start (0 when reading here pays better), and the files they take."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0, []
    if processes is None:
        processes = len(os.sched_getaffinity(0))
    shared = [index for index, target in enumerate(targets) if target != STDIN]
    # Files are sized until enough is known, not all: in the app, each `stat` of this thread
    # may wait for the interpreter's lock while the first frames are drawn. The workers leave
    # the files over `MAX_WORKER_FILE_BYTES` to this process (`notes_tui.workers`).
    small = total = 0
    for index in shared:
        try:
            size = os.stat(targets[index]).st_size
        except OSError:
            size = 0  # reading it will say why
        if size <= MAX_WORKER_FILE_BYTES:
            small, total = small + 1, total + size
        if small >= 2 and total >= MIN_POOL_BYTES:
            break
    if processes < 2 or small < 2 or total < MIN_POOL_BYTES:
        return 0, []
    if options.use_cache and _mostly_cached([Path(targets[i]) for i in shared], options):
        return 0, []
    return min(processes, len(shared)), shared


def _mostly_cached(files: list[Path], options: ReadOptions) -> bool:
    """True when the cache holds every file of a sample: then the parses are not redone."""
    step = max(1, len(files) // PROBE_FILES)
    extra = parse_options(options.forced_format, options.repo)
    for path in files[::step][:PROBE_FILES]:
        try:
            if os.stat(path).st_size > MAX_WORKER_FILE_BYTES:
                continue  # read here in any case
            data = read_bytes(path)
        except (OSError, LoadError):
            continue  # reading it will say why; no parse to redo
        if not is_cached(cache_key(data, str(path), options.base_url, extra)):
            return False
    return True
