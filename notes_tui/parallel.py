"""Reading many files at once: forked worker processes parse them, results come in input order."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import selectors
import signal
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from notes_tui.cache import (
    CacheFormatError,
    cache_key,
    is_cached,
    is_write_problem,
    parse_options,
)
from notes_tui.loading import DEFAULT_READ, STDIN, LoadError, ReadOptions, read_bytes
from notes_tui.model import Release
from notes_tui.pack import PackReader, open_pack
from notes_tui.parse.formats import format_names
from notes_tui.rows import Rows, dump_releases, load_releases

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

MIN_POOL_BYTES = 256 * 1024
"""Fewer bytes to read than this are parsed in this process: starting workers would not pay."""

MAX_WORKER_FILE_BYTES = 4 * 1024 * 1024
"""Larger files are parsed in this process: their releases, sent back as bytes, would be held
three times over (the worker's text, the pipe's bytes, this process's parse of them)."""

PROBE_FILES = 8
"""How many files (spread over the list) tell whether the cache holds the parse of most."""

POLL_SECONDS = 0.05
"""How often, while waiting for a worker, `should_stop` is asked."""

PIPE_BYTES = 1024 * 1024
"""What each worker's pipe may hold (Linux lets any user ask for up to 1 MB)."""

STOP_SECONDS = 0.5
"""How long stopped workers may take to finish their file before they are terminated."""


class Reader(Protocol):
    """Reads one file: `notes_tui.loading.read_target`, or a function like it."""

    def __call__(
        self,
        target: str | Path,
        *,
        base_url: str,
        stdin: BinaryIO | None,
        use_cache: bool,
        forced_format: str | None,
        repo: str | None,
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
        read: The reader (`notes_tui.loading.read_target`), run in the workers as it is.
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
    pool = _Pool.start(count, read, targets, options, shared) if count > 1 else None
    if pool is None:
        for target in targets:
            if should_stop is not None and should_stop():
                return
            yield _read_here(read, target, options, stdin)
        return
    told: set[str] = set()
    try:
        for index, target in enumerate(targets):
            if should_stop is not None and should_stop():
                return
            done = pool.result(index, should_stop)
            if done is None:  # `-`, a large file, a worker lost, or releases it could not send
                done = _read_here(read, target, options, stdin)
            yield _once(done, told)
    except _Stop:
        return
    finally:
        pool.close()


class CachedReads:
    """`read_in_order` through the cache's pack (`notes_tui.pack`), when the cache is used.

    Iterating yields one `FileRead` per target, in order: files the pack vouches for (their
    signatures unchanged) come from it without being read; the others are read by
    `read_in_order` (in workers when that pays) as without a pack. Once every file was
    read, `save` writes the pack again if some file that belongs in it was not taken from it.
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
        self._reads = self._generate()

    def __iter__(self) -> Iterator[FileRead]:
        return self._reads

    def close(self) -> None:
        """Stop reading: the worker processes stop now, not when collected."""
        self._reads.close()

    def save(self) -> bool:
        """Write the pack when every file was read and the pack did not hold them all.

        Returns:
            Whether a pack was written.
        """
        return self.finished and self.pack is not None and self.pack.save()

    def _generate(self) -> Generator[FileRead, None, None]:
        read, targets, options, pack = self._read, self._targets, self._options, self.pack
        should_stop = self._should_stop
        if pack is None:
            yield from read_in_order(
                read,
                targets,
                options,
                stdin=self._stdin,
                processes=self._processes,
                should_stop=should_stop,
                before_workers=self._before_workers,
            )
            return
        vouched = [pack.vouches(index) for index in range(len(targets))]
        rest = read_in_order(
            read,
            [target for target, found in zip(targets, vouched, strict=True) if not found],
            options,
            stdin=self._stdin,
            processes=self._processes,
            should_stop=should_stop,
            before_workers=self._before_workers,
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
                    done = _read_here(read, target, options, self._stdin)  # a damaged entry
                if done.error is None:
                    pack.remember(index, done.releases, done.warnings, done.rows)
                yield done
            self.finished = True
        finally:
            rest.close()


def _read_here(
    read: Reader, target: str | Path, options: ReadOptions, stdin: BinaryIO | None
) -> FileRead:
    try:
        releases, warnings = read(
            target,
            base_url=options.base_url,
            stdin=stdin,
            use_cache=options.use_cache,
            forced_format=options.forced_format,
            repo=options.repo,
        )
    except LoadError as error:
        return FileRead(target, error=str(error))
    return FileRead(target, releases, warnings)


def _once(read: FileRead, told: set[str]) -> FileRead:
    """Keep the cache's write problem once: each worker tells it once, as a process does."""
    if not any(is_write_problem(warning) for warning in read.warnings):
        return read
    warnings = [w for w in read.warnings if not (is_write_problem(w) and w in told)]
    told.update(w for w in read.warnings if is_write_problem(w))
    return FileRead(read.target, read.releases, warnings, read.error)


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
    # the files over `MAX_WORKER_FILE_BYTES` to this process (`_reply`).
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


class _Stop(Exception):
    """Raised by `_Pool.result` when `should_stop` said so."""


@dataclass(frozen=True)
class _Job:
    """What every worker knows (inherited through the fork, never pickled)."""

    read: Reader
    targets: Sequence[str | Path]
    options: ReadOptions
    files: list[int]
    """The indexes of the targets the workers read, in order (not `-`, no large file)."""
    counter: Any
    """A shared integer: the next position in `files` to read; its lock makes taking atomic."""
    taken: Any
    """A shared array: the position each worker took last (-1 before its first)."""


class _Pool:
    """Forked workers that take the files in turn and send each one's releases back as bytes.

    The workers take the next file themselves (a shared counter), so they never wait for
    this process; results may come out of order and wait in `results` until asked for.
    """

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.shared = set(job.files)
        self.processes: list[BaseProcess] = []
        self.selector = selectors.DefaultSelector()
        """Each live worker's end of its pipe, with the worker's number."""
        self.received: set[int] = set()
        self.results: dict[int, FileRead | None] = {}

    @classmethod
    def start(
        cls,
        count: int,
        read: Reader,
        targets: Sequence[str | Path],
        options: ReadOptions,
        files: list[int],
    ) -> _Pool | None:
        """Fork `count` workers; None when not even one could be started."""
        # Imported here: some 10 ms that reading from the cache, in this process, never pays.
        import multiprocessing

        context = multiprocessing.get_context("fork")
        try:
            counter, taken = context.Value("q", 0), context.RawArray("q", [-1] * count)
        except (OSError, ImportError):
            return None  # no shared memory or semaphores (a container without /dev/shm)
        pool = cls(_Job(read, targets, options, files, counter, taken))
        for number in range(count):
            try:
                mine, theirs = context.Pipe(duplex=False)
            except OSError:
                break
            _widen(mine)
            # The child closes the ends it inherits from the parent: then a pipe ends when
            # its worker exits, and a worker's writes fail as soon as the parent closes.
            inherited = [*pool._connections(), mine]
            process = context.Process(
                target=_serve, args=(number, theirs, inherited, pool.job), daemon=True
            )
            try:
                process.start()
            except OSError:
                mine.close()
                break  # out of processes or memory: fewer workers
            finally:
                theirs.close()
            pool.processes.append(process)
            pool.selector.register(mine, selectors.EVENT_READ, number)
        if not pool.processes:
            pool.selector.close()
            return None
        return pool

    def _connections(self) -> list[Connection]:
        return [key.fileobj for key in self.selector.get_map().values()]  # type: ignore[misc]

    def result(self, index: int, should_stop: Callable[[], bool] | None) -> FileRead | None:
        """The read of target `index`, once a worker sent it; None to read it here.

        Raises:
            _Stop: When `should_stop` said so while waiting.
        """
        while index not in self.results:
            if index not in self.shared or not self.selector.get_map():
                return None
            if should_stop is not None and should_stop():
                raise _Stop
            for key, _ in self.selector.select(POLL_SECONDS):
                self._receive(key.fileobj, key.data)  # type: ignore[arg-type]
        return self.results.pop(index)

    def _receive(self, connection: Connection, number: int) -> None:
        try:
            message = connection.recv_bytes()
        except (EOFError, OSError):
            # The worker is done, or died: a file it took and never sent is read here.
            self.selector.unregister(connection)
            connection.close()
            position = self.job.taken[number]
            if position >= 0 and self.job.files[position] not in self.received:
                self.results[self.job.files[position]] = None
            return
        index, read = _decode_reply(self.job.targets, message)
        self.received.add(index)
        self.results[index] = read

    def close(self) -> None:
        """Stop the workers: their next write fails; any still busy after a moment is killed."""
        for connection in self._connections():
            connection.close()
        self.selector.close()
        for process in self.processes:
            process.join(STOP_SECONDS / len(self.processes))
        for process in self.processes:
            if process.exitcode is None:
                process.kill()
                process.join()
            process.close()


def _widen(connection: Connection) -> None:
    """Let a pipe hold a megabyte: a worker then rarely waits for this process to read.

    The reading thread shares the interpreter with the app's; each wait for it to take its
    turn would otherwise hold up the worker behind a full 64 KB pipe.
    """
    with contextlib.suppress(OSError, AttributeError):
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _decode_reply(targets: Sequence[str | Path], message: bytes) -> tuple[int, FileRead | None]:
    head, _, payload = message.partition(b"\n")
    index, error, warnings, sent = json.loads(head)
    target = targets[index]
    if error is not None:
        return index, FileRead(target, error=error)
    if not sent:
        return index, None
    try:
        releases, rows = load_releases(payload)
    except CacheFormatError:
        return index, None
    return index, FileRead(target, releases, warnings, rows=rows)


def _serve(number: int, connection: Connection, inherited: list[Connection], job: _Job) -> None:
    """A worker: take the next file, read it, send it, until none is left; never returns."""
    try:
        for other in inherited:
            other.close()
        _quiet_signals()
        # What the parent holds is never collected here: no pass over it, no copied pages.
        gc.freeze()
        while True:
            with job.counter.get_lock():
                position = job.counter.value
                job.counter.value = position + 1
            if position >= len(job.files):
                break
            job.taken[number] = position
            # Fails (and ends the worker) once the parent closed its end.
            connection.send_bytes(_reply(job, job.files[position]))
    finally:
        # At once, even on an error (the parent reads the file again and reports it): no
        # traceback on the app's screen, no exit handlers, no flush of the parent's buffers.
        os._exit(0)


def _quiet_signals() -> None:
    """Leave the parent's signal handlers (the app's) behind; Ctrl+C is the parent's to handle."""
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)
    for number in signal.valid_signals():
        with contextlib.suppress(ValueError, OSError):
            if number == signal.SIGINT:
                signal.signal(number, signal.SIG_IGN)
            elif callable(signal.getsignal(number)):
                signal.signal(number, signal.SIG_DFL)


def _reply(job: _Job, index: int) -> bytes:
    """One line of JSON (index, error, warnings, whether releases follow), then the releases.

    The releases go as `marshal` data of plain tuples (`notes_tui.rows.dump_releases`):
    between two forks of one interpreter, and three times faster to read back than JSON.
    """
    target = job.targets[index]
    with contextlib.suppress(OSError):  # reading it will say why
        if os.stat(target).st_size > MAX_WORKER_FILE_BYTES:
            return json.dumps([index, None, [], False]).encode("ascii")  # read in the parent
    done = _read_here(job.read, target, job.options, None)
    if done.error is not None:
        return json.dumps([index, done.error, [], False]).encode("ascii")
    try:
        payload = dump_releases(done.releases)
    except CacheFormatError:
        return json.dumps([index, None, [], False]).encode("ascii")
    head = json.dumps([index, None, done.warnings, True])
    return head.encode("ascii") + b"\n" + payload
