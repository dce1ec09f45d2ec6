"""The loader: reads files in a background thread and posts what it read, in batches."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from textual import work
from textual.message import Message
from textual.widget import Widget
from textual.worker import get_current_worker

from notes_tui.inputs import LoadError
from notes_tui.model import Release
from notes_tui.reading import ReadOptions, read_target

LOAD_BATCH_SECONDS = 0.1
"""How often, at most, the loader hands what it read to the screen."""

SAVE_POLL_SECONDS = 0.05
"""How often, while it waits (for the first frame, to write the cache), the loader sees
whether it is stopped."""

FIRST_FRAME_WAIT_SECONDS = 0.25
"""How long, at most, worker processes wait for the app's first frame (see `_read`)."""


class Loader(Widget):
    """Reads files as soon as it is mounted, and posts `Loaded` batches, then `Finished`.

    It shows nothing. A batch waits until the screen has taken the one before (`taken`):
    when showing a batch costs more than reading one (the reads come from the cache),
    batches grow instead of queueing, and reading is not slowed by a screen that cannot
    keep up. Once the screen has painted what was read (`shown`), it writes the cache (the
    pack and each new file's entry), and posts `CacheNotWritten` if it could not.
    """

    DEFAULT_CSS = """
    Loader {
        display: none;
    }
    """

    class Loaded(Message):
        """More files were read."""

        def __init__(self, releases: list[Release], done: int, total: int) -> None:
            super().__init__()
            self.releases = releases
            self.done = done
            self.total = total

    class Finished(Message):
        """Every file was read."""

        def __init__(self, warnings: list[str], errors: list[str]) -> None:
            super().__init__()
            self.warnings = warnings
            self.errors = errors

    class CacheNotWritten(Message):
        """The cache could not be written (after `Finished`; told once a process)."""

        def __init__(self, warning: str) -> None:
            super().__init__()
            self.warning = warning

    def __init__(self, targets: Sequence[str | Path], options: ReadOptions) -> None:
        super().__init__()
        self._targets = list(targets)
        # The cache's entries are written with its pack, after `shown`: writing each as its
        # file is parsed would cost the load's processes some 7% of its time.
        self._options = dataclasses.replace(options, defer_cache_writes=True)
        self._batch_taken = threading.Event()
        """Set when the screen has taken the last batch."""
        self._batch_taken.set()
        self._shown = threading.Event()
        """Set when the screen has painted everything read (see `shown`)."""
        self._painted = threading.Event()
        """Set once the app has painted its first frame."""

    def on_mount(self) -> None:
        self._read(self._targets)

    def first_frame_painted(self) -> None:
        """Tell the loader that the app's first frame is out: worker processes may start.

        The screen says so right after that frame; the workers wait for it at most
        `FIRST_FRAME_WAIT_SECONDS`.
        """
        self._painted.set()

    def taken(self) -> None:
        """Tell the loader that the screen took the last batch: the next may go."""
        self._batch_taken.set()

    def shown(self) -> None:
        """Tell the loader that the screen painted everything read: the cache may be written
        (its encoding and writing would otherwise hold up that paint)."""
        self._shown.set()

    @work(thread=True, exclusive=True, group="load")
    def _read(self, targets: list[str | Path]) -> None:
        """Read files in a thread; post what was read in batches, up to ten a second."""
        worker = get_current_worker()
        # Imported here, in the thread: the worker processes' modules cost some 10 ms to
        # import, which the first paint does not wait for.
        from notes_tui.parallel import CachedReads

        def first_frame_first() -> None:
            # Forking workers, then their parsing on every core, would take the time the first
            # frame needs; the cache's pack (read here) does not wait.
            deadline = time.monotonic() + FIRST_FRAME_WAIT_SECONDS
            while not worker.is_cancelled:
                left = deadline - time.monotonic()
                if left <= 0 or self._painted.wait(min(left, SAVE_POLL_SECONDS)):
                    break

        reads = CachedReads(
            read_target,
            targets,
            self._options,
            should_stop=lambda: worker.is_cancelled,
            before_workers=first_frame_first,
        )
        batch: list[Release] = []
        warnings: list[str] = []
        errors: list[str] = []
        last_post = time.monotonic()
        try:
            for done, read in enumerate(reads, 1):
                if worker.is_cancelled:
                    return
                try:
                    releases, found = read.result()
                except LoadError as error:
                    errors.append(str(error))
                    continue
                batch.extend(releases)
                warnings.extend(found)
                waited = time.monotonic() - last_post > LOAD_BATCH_SECONDS
                due = waited and self._batch_taken.is_set()
                if due or done == len(targets):
                    self._batch_taken.clear()
                    self.post_message(self.Loaded(batch, done, len(targets)))
                    batch, last_post = [], time.monotonic()
        finally:
            reads.close()  # When cancelled: the worker processes stop now, not when collected.
        if worker.is_cancelled:
            return
        if batch:
            self.post_message(self.Loaded(batch, len(targets), len(targets)))
        self.post_message(self.Finished(warnings, errors))
        # The cache, whose pack makes the next start fast, waits for the screen to paint what
        # was read (`shown`).
        while not self._shown.wait(SAVE_POLL_SECONDS):
            if worker.is_cancelled:
                return
        reads.save()
        if reads.write_problem is not None and not worker.is_cancelled:
            self.post_message(self.CacheNotWritten(reads.write_problem))
