"""The app's cache writes wait for the load to be shown: entries, pack, and the write warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from tui_support import FakeSystem, notifications, running, wait_for

from notes_tui.app import NotesApp
from notes_tui.cache import cache_key, load_cached
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.parallel import CachedReads
from notes_tui.reading import ReadOptions, read_target
from notes_tui.targets import plan_targets
from notes_tui.widgets.loader import Loader

SIZE = (160, 50)
LOAD_SECONDS = 60.0
"""How long the whole corpus may take to load on a slow, shared machine."""
DEFERRED = ReadOptions(use_cache=True, defer_cache_writes=True)
NOTES = "## Changes\n\n- **Fixed** bug number {n} ([#{n}](https://github.com/a/b/issues/{n})).\n"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own, empty, `NOTES_TUI_HOME`."""
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def entries(home: Path) -> list[Path]:
    return sorted((home / "cache" / "releases").glob("*.json"))


def packs(home: Path) -> list[Path]:
    return sorted((home / "cache" / "packs").glob("*.pack"))


def read_deferred(targets: list[str | Path], processes: int) -> tuple[CachedReads, list[Release]]:
    """Read every target with the writes deferred, as the app does; `save` not called yet."""
    reads = CachedReads(read_target, targets, DEFERRED, processes=processes)
    releases = [release for read in reads for release in read.releases]
    return reads, releases


@pytest.mark.parametrize("processes", [1, 2], ids=["here", "workers"])
def test_reading_writes_no_entry_and_save_writes_them_all(
    istio_corpus: Path, home: Path, istio_releases: list[Release], processes: int
) -> None:
    targets = plan_targets([str(istio_corpus)], [])
    reads, releases = read_deferred(targets, processes)
    assert releases == istio_releases
    assert entries(home) == [] and packs(home) == []
    assert reads.save()
    assert len(entries(home)) == len(targets) == 399 and len(packs(home)) == 1
    assert reads.write_problem is None
    # Each entry is under its file's own key, and holds that file's parse.
    path = Path(targets[7])
    assert load_cached(cache_key(path.read_bytes(), str(path), DEFERRED.base_url)) == (
        load([str(path)]).releases
    )
    # The command line's load (not deferred) reads them back as they were.
    assert load([str(istio_corpus)], use_cache=True).releases == istio_releases


def test_a_damaged_entry_is_rebuilt_when_saved(tmp_path: Path, home: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(3):
        (notes / f"1.{n}.0.md").write_text(NOTES.format(n=n), "utf-8")
    targets = plan_targets([str(notes)], [])
    expected = load([str(notes)]).releases
    read_deferred(targets, 1)[0].save()
    damaged = entries(home)[1]
    damaged.write_text("{not json")
    for pack in packs(home):
        pack.unlink()  # or the pack would vouch for every file
    reads, releases = read_deferred(targets, 1)
    assert releases == expected
    assert damaged.read_text() == "{not json"  # not rewritten while reading
    reads.save()
    assert damaged.read_text() != "{not json"
    assert load([str(notes)], use_cache=True).releases == expected


def test_no_cache_defers_nothing_and_writes_nothing(istio_corpus: Path, home: Path) -> None:
    targets = plan_targets([str(istio_corpus)], [])
    options = ReadOptions(use_cache=False, defer_cache_writes=True)
    reads = CachedReads(read_target, targets, options, processes=2)
    assert all(read.cache_key is None for read in reads)
    assert not reads.save()
    assert not (home / "cache").exists()


async def test_the_app_writes_the_entries_once_the_load_is_shown(
    istio_corpus: Path, home: Path
) -> None:
    targets = plan_targets([str(istio_corpus)], [])
    app = NotesApp([], "", FakeSystem(), targets=targets, use_cache=True)
    at_finished: list[tuple[int, int]] = []

    def record(message: Message) -> None:
        if isinstance(message, Loader.Finished) and not at_finished:
            at_finished.append((len(entries(home)), len(packs(home))))

    async with running(app, size=SIZE, message_hook=record) as pilot:
        await wait_for(pilot, lambda: len(entries(home)) == 399, LOAD_SECONDS)
        await wait_for(pilot, lambda: len(packs(home)) == 1, LOAD_SECONDS)
        assert app.load_warnings == []
        assert notifications(app) == []
    assert at_finished == [(0, 0)]


async def test_a_cache_that_cannot_be_written_is_told_once_in_the_app(
    istio_corpus: Path, home: Path
) -> None:
    # A file where the folder should be: `mkdir` fails even for root (the tests run as root).
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a folder")
    warning = (
        f"cannot write the cache in {home / 'cache' / 'releases'} (Not a directory); "
        "reading without it (--no-cache)"
    )
    targets = plan_targets([str(istio_corpus)], [])
    app = NotesApp([], "", FakeSystem(), targets=targets, use_cache=True)
    told: list[Loader.CacheNotWritten] = []

    def record(message: Message) -> None:
        if isinstance(message, Loader.CacheNotWritten) and not any(m is message for m in told):
            told.append(message)

    async with running(app, size=SIZE, message_hook=record) as pilot:
        await wait_for(pilot, lambda: bool(notifications(app)), LOAD_SECONDS)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert [(n.message, n.severity) for n in notifications(app)] == [(warning, "warning")]
        # Kept with the load's warnings, which the command line repeats on exit.
        assert app.load_warnings == [warning]
    assert [message.warning for message in told] == [warning]
