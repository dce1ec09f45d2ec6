"""Reading many files in worker processes: the same results as one by one, in order, stoppable."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from test_purity import loaded_ui_packages
from tui_support import FakeSystem, wait_for

import notes_tui.parallel
import notes_tui.workers
from notes_tui.app import NotesApp
from notes_tui.cache import cache_dir
from notes_tui.inputs import LoadError
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.parallel import read_in_order
from notes_tui.parse import parse_text
from notes_tui.reading import STDIN, FileRead, ReadOptions, Store, read_target
from notes_tui.targets import plan_targets

SIZE = (160, 50)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own `NOTES_TUI_HOME`, so nothing touches the real cache."""
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def no_workers_left() -> Iterator[None]:
    """Whatever a test does, it leaves no worker process behind."""
    yield
    assert multiprocessing.active_children() == []


@pytest.fixture(scope="module")
def corpus_targets(istio_corpus: Path) -> list[str | Path]:
    return plan_targets([str(istio_corpus)], [])


@pytest.fixture(scope="module")
def serial_corpus(corpus_targets: list[str | Path]) -> list[FileRead]:
    """The corpus read one file at a time, in this process."""
    return list(read_in_order(read_target, corpus_targets, processes=1))


def assert_same(pooled: list[FileRead], serial: list[FileRead]) -> None:
    assert [read.target for read in pooled] == [read.target for read in serial]
    for mine, theirs in zip(pooled, serial, strict=True):
        assert mine == theirs, mine.target
        # `front_matter` is left out of `==`: compare it explicitly.
        assert [r.front_matter for r in mine.releases] == [r.front_matter for r in theirs.releases]


def odd_folder(folder: Path) -> list[str | Path]:
    """Files of every kind `read_target` warns about or refuses, among enough good ones."""
    folder.mkdir(parents=True)
    notes = "".join(
        f"- **Fixed** bug number {n} ([#{n}](https://x.io/i/{n})).\n" for n in range(400)
    )
    for index in range(6):
        (folder / f"1.{index}.0.md").write_text(f"## Changes\n\n{notes}", encoding="utf-8")
    (folder / "bad-utf8.md").write_bytes(b"## Changes\n\n- **Fixed** caf\xe9 \xff.\n")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02")
    (folder / "empty.md").write_bytes(b"")
    (folder / "bom.md").write_bytes(b"\xef\xbb\xbf---\ntitle: x\nweight: [\n---\n\n## A\n\n- B\n")
    (folder / "utf16.md").write_bytes("## Changes\n\n- **Added** ü.\n".encode("utf-16"))
    targets = plan_targets([str(folder)], [])
    return [*targets, folder / "missing.md"]


def test_the_corpus_reads_the_same_in_workers(
    corpus_targets: list[str | Path], serial_corpus: list[FileRead]
) -> None:
    pooled = list(read_in_order(read_target, corpus_targets, processes=2))
    assert_same(pooled, serial_corpus)
    assert sum(len(read.releases) for read in pooled) == 399


def test_warnings_and_errors_are_the_same_in_workers(tmp_path: Path) -> None:
    targets = odd_folder(tmp_path / "notes")
    serial = list(read_in_order(read_target, targets, processes=1))
    pooled = list(read_in_order(read_target, targets, processes=2))
    assert_same(pooled, serial)
    errors = [read.error for read in pooled if read.error]
    assert len(errors) == 2 and "binary file" in errors[0] and "no such file" in errors[1]
    warnings = [w for read in pooled for w in read.warnings]
    assert any("invalid UTF-8" in w for w in warnings)
    assert any("empty file" in w for w in warnings)
    with pytest.raises(LoadError, match="binary file"):
        next(read for read in pooled if read.error).result()


def test_a_parser_bug_costs_one_file_in_workers_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = odd_folder(tmp_path / "notes")
    real_parse = parse_text

    def buggy(text: str, source: str, *args: object, **kwargs: object) -> list[Release]:
        if source.endswith("1.3.0.md"):
            raise IndexError("list index out of range")
        return real_parse(text, source, *args, **kwargs)  # type: ignore[arg-type]

    # Forked workers inherit the patch.
    monkeypatch.setattr("notes_tui.reading.parse_text", buggy)
    serial = list(read_in_order(read_target, targets, processes=1))
    pooled = list(read_in_order(read_target, targets, processes=2))
    assert_same(pooled, serial)
    [failed] = [read for read in pooled if read.error and "failed to parse" in read.error]
    assert str(failed.target).endswith("1.3.0.md")


def test_large_files_are_read_here_in_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = odd_folder(tmp_path / "notes")
    serial = list(read_in_order(read_target, targets, processes=1))
    # The six files of notes are the large ones; the rest go to the workers.
    monkeypatch.setattr(notes_tui.parallel, "MAX_WORKER_FILE_BYTES", 10_000)
    monkeypatch.setattr(notes_tui.workers, "MAX_WORKER_FILE_BYTES", 10_000)
    monkeypatch.setattr(notes_tui.parallel, "MIN_POOL_BYTES", 0)
    read_here: list[str | Path] = []
    real_read_here = notes_tui.parallel.read_one

    def spy(read: object, target: str | Path, *args: object) -> FileRead:
        if multiprocessing.parent_process() is None:
            read_here.append(target)
        return real_read_here(read, target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(notes_tui.parallel, "read_one", spy)
    assert_same(list(read_in_order(read_target, targets, processes=2)), serial)
    assert sorted(Path(target).name for target in read_here) == [f"1.{n}.0.md" for n in range(6)]


def test_standard_input_is_read_here_in_its_place(tmp_path: Path) -> None:
    files = odd_folder(tmp_path / "notes")[:6]
    targets: list[str | Path] = [files[0], STDIN, *files[1:]]

    def run(processes: int) -> list[FileRead]:
        stdin: BinaryIO = io.BytesIO(b"## Changes\n\n- **Fixed** from a pipe.\n")
        options = ReadOptions()
        return list(read_in_order(read_target, targets, options, stdin=stdin, processes=processes))

    pooled = run(2)
    assert_same(pooled, run(1))
    assert pooled[1].target == STDIN
    assert pooled[1].releases[0].entries[0].summary == "Fixed from a pipe."


def dying_reader(
    target: str | Path,
    *,
    base_url: str,
    stdin: BinaryIO | None,
    use_cache: bool,
    forced_format: str | None,
    repo: str | None,
    store: Store | None = None,
) -> tuple[list[Release], list[str]]:
    """`read_target`, but a worker process dies on the files named 1.2.0 and 1.4.0."""
    if Path(target).name in {"1.2.0.md", "1.4.0.md"} and multiprocessing.parent_process():
        os._exit(1)
    return read_target(
        target,
        base_url=base_url,
        stdin=stdin,
        use_cache=use_cache,
        forced_format=forced_format,
        repo=repo,
        store=store,
    )


def test_what_a_dead_worker_had_is_read_here(tmp_path: Path) -> None:
    targets = odd_folder(tmp_path / "notes")
    serial = list(read_in_order(read_target, targets, processes=1))
    pooled = list(read_in_order(dying_reader, targets, processes=2))
    assert_same(pooled, serial)


def test_no_process_can_be_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = odd_folder(tmp_path / "notes")
    serial = list(read_in_order(read_target, targets, processes=1))

    def refuse(self: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    assert_same(list(read_in_order(read_target, targets, processes=2)), serial)


def count_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many workers each `read_in_order` starts."""
    started: list[int] = []
    real_start = notes_tui.workers.Pool.start

    def start(count: int, *args: object) -> object:
        started.append(count)
        return real_start(count, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(notes_tui.workers.Pool, "start", start)
    return started


def test_when_workers_are_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus_targets: list[str | Path]
) -> None:
    started = count_workers(monkeypatch)
    small: list[str | Path] = []
    for index in range(3):
        path = tmp_path / f"{index}.md"
        path.write_text("## 1.0.0\n\n- Fixed.\n", encoding="utf-8")
        small.append(path)
    list(read_in_order(read_target, small, processes=2))  # too little to read
    list(read_in_order(read_target, corpus_targets[:1], processes=2))  # one file
    list(read_in_order(read_target, corpus_targets, processes=1))  # one CPU
    assert started == []
    list(read_in_order(read_target, corpus_targets, processes=2))
    assert started == [2]
    monkeypatch.setattr(sys, "platform", "darwin")
    list(read_in_order(read_target, corpus_targets, processes=2))
    assert started == [2]


def test_a_filled_cache_is_read_here(
    monkeypatch: pytest.MonkeyPatch,
    corpus_targets: list[str | Path],
    serial_corpus: list[FileRead],
) -> None:
    started = count_workers(monkeypatch)
    cached = ReadOptions(use_cache=True)
    # An empty cache: the workers parse and fill it.
    assert_same(
        list(read_in_order(read_target, corpus_targets, cached, processes=2)), serial_corpus
    )
    assert started == [2]
    assert len(list((cache_dir() / "releases").glob("*.json"))) == 399
    # Filled: reading it here beats starting workers.
    assert_same(
        list(read_in_order(read_target, corpus_targets, cached, processes=2)), serial_corpus
    )
    assert started == [2]


def test_a_cache_that_cannot_be_written_is_told_once(
    home: Path, corpus_targets: list[str | Path]
) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a folder")
    cached = ReadOptions(use_cache=True)
    warnings = [
        w
        for read in read_in_order(read_target, corpus_targets, cached, processes=2)
        for w in read.warnings
    ]
    assert [w for w in warnings if "cannot write the cache" in w] == [
        f"cannot write the cache in {home / 'cache' / 'releases'} (Not a directory); "
        "reading without it (--no-cache)"
    ]


def test_closing_early_stops_the_workers(corpus_targets: list[str | Path]) -> None:
    reads = read_in_order(read_target, corpus_targets, processes=2)
    first = [next(reads) for _ in range(3)]
    assert [read.target for read in first] == corpus_targets[:3]
    assert len(multiprocessing.active_children()) == 2
    started = time.monotonic()
    reads.close()
    assert time.monotonic() - started < 2
    assert multiprocessing.active_children() == []


def test_should_stop_ends_the_reading(corpus_targets: list[str | Path]) -> None:
    seen: list[FileRead] = []
    reads = read_in_order(
        read_target, corpus_targets, processes=2, should_stop=lambda: len(seen) >= 5
    )
    for read in reads:
        seen.append(read)
    assert len(seen) == 5
    assert multiprocessing.active_children() == []


def test_load_uses_the_workers(
    monkeypatch: pytest.MonkeyPatch, istio_corpus: Path, serial_corpus: list[FileRead]
) -> None:
    started = count_workers(monkeypatch)
    arrived: list[Release] = []
    result = load([str(istio_corpus)], on_release=arrived.append)
    assert started == [2] or len(os.sched_getaffinity(0)) < 2
    assert result.releases == arrived == [r for read in serial_corpus for r in read.releases]


def test_the_module_is_pure_core() -> None:
    assert loaded_ui_packages(["notes_tui.parallel", "notes_tui.workers"]) == []


async def test_quitting_while_loading_leaves_no_worker(
    monkeypatch: pytest.MonkeyPatch, corpus_targets: list[str | Path]
) -> None:
    """The app's reading thread stops its workers when the app quits halfway."""
    real_parse = parse_text

    def slow(*args: object, **kwargs: object) -> list[Release]:
        time.sleep(0.02)  # 399 files: some 4 s in two workers, so that quitting comes first
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("notes_tui.reading.parse_text", slow)
    app = NotesApp([], "", FakeSystem(), targets=corpus_targets)
    async with app.run_test(size=SIZE) as pilot:

        def loading_halfway() -> bool:
            main = app.main
            return main is not None and main.session.progress not in (None, (0, 399))

        await wait_for(pilot, loading_halfway, 30)
        assert multiprocessing.active_children()
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 5
    assert multiprocessing.active_children() == []
