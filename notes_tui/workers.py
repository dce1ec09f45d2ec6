"""Worker processes that read files: the pool of forked workers, and what they send back."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import selectors
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tui.cache_format import CacheFormatError
from notes_tui.reading import FileRead, Reader, ReadOptions, read_one
from notes_tui.rows import dump_releases, load_releases

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

MAX_WORKER_FILE_BYTES = 4 * 1024 * 1024
"""Larger files are parsed in this process: their releases, sent back as bytes, would be held
three times over (the worker's text, the pipe's bytes, this process's parse of them)."""

POLL_SECONDS = 0.05
"""How often, while waiting for a worker, `should_stop` is asked."""

PIPE_BYTES = 1024 * 1024
"""What each worker's pipe may hold (Linux lets any user ask for up to 1 MB)."""

STOP_SECONDS = 0.5
"""How long stopped workers may take to finish their file before they are terminated."""


class Stopped(Exception):
    """Raised by `Pool.result` when `should_stop` said so."""


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


class Pool:
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
    ) -> Pool | None:
        """Fork workers that read `files` of `targets` with `read`.

        Args:
            count: How many workers.
            read: The reader, run in the workers as it is.
            targets: Files, or `-`.
            options: How to read them.
            files: The indexes of the targets the workers take, in order.

        Returns:
            The pool, or None when not even one worker could be started.
        """
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
        """Return the read of target `index`, once a worker sent it.

        Args:
            index: The target's place in `targets`.
            should_stop: Asked while waiting; True stops the wait.

        Returns:
            The read, or None when it is for this process to read (`-`, a large file, a
            worker lost, or releases it could not send).

        Raises:
            Stopped: When `should_stop` said so while waiting.
        """
        while index not in self.results:
            if index not in self.shared or not self.selector.get_map():
                return None
            if should_stop is not None and should_stop():
                raise Stopped
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
    index, error, warnings, sent, cache_key = json.loads(head)
    target = targets[index]
    if error is not None:
        return index, FileRead(target, error=error)
    if not sent:
        return index, None
    try:
        releases, rows = load_releases(payload)
    except CacheFormatError:
        return index, None
    return index, FileRead(target, releases, warnings, rows=rows, cache_key=cache_key)


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
    """One line of JSON (index, error, warnings, whether releases follow, the cache key they
    are still to be stored under), then the releases.

    The releases go as `marshal` data of plain tuples (`notes_tui.rows.dump_releases`):
    between two forks of one interpreter, and three times faster to read back than JSON.
    """
    target = job.targets[index]
    with contextlib.suppress(OSError):  # reading it will say why
        if os.stat(target).st_size > MAX_WORKER_FILE_BYTES:
            return _no_releases(index)  # read in the parent
    done = read_one(job.read, target, job.options, None)
    if done.error is not None:
        return _no_releases(index, done.error)
    try:
        payload = dump_releases(done.releases)
    except CacheFormatError:
        return _no_releases(index)  # read in the parent
    head = json.dumps([index, None, done.warnings, True, done.cache_key])
    return head.encode("ascii") + b"\n" + payload


def _no_releases(index: int, error: str | None = None) -> bytes:
    """A reply without releases: why the file cannot be read, or (None) read it yourself."""
    return json.dumps([index, error, [], False, None]).encode("ascii")
