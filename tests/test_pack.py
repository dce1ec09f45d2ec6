"""The cache's packs: exact round trips, trusted only when unchanged, damage is a miss."""

from __future__ import annotations

import hashlib
import os
import random
import time
from pathlib import Path

import pytest
from tui_support import FakeSystem, running, status_text, wait_for

import notes_tui.pack as pack_module
import notes_tui.parse
from notes_tui.app import NotesApp
from notes_tui.cache_format import CacheFormatError
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.pack import SETTLE_NS, open_pack
from notes_tui.pack_file import read_pack
from notes_tui.parallel import CachedReads, read_in_order
from notes_tui.reading import ReadOptions, read_target
from notes_tui.rows import decode_releases, dump_releases, encode_releases, load_releases
from notes_tui.session import Session
from notes_tui.targets import plan_targets
from notes_tui.upgrade import backports

NOTES = "## Changes\n\n" + "".join(
    f"- **Fixed** bug number {n} ([#{n}](https://github.com/a/b/issues/{n})).\n" for n in range(30)
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own `NOTES_TUI_HOME`."""
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A few notes, all written long enough ago to be trusted on their signatures."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for index in range(5):
        (notes / f"1.{index}.0.md").write_text(NOTES.replace("bug", f"bug {index}"), "utf-8")
    (notes / "bad-utf8.md").write_bytes(b"## Changes\n\n- **Fixed** caf\xe9 \xff.\n")
    (notes / "binary.md").write_bytes(b"\x00\x01\x02")
    age(notes)
    return notes


def age(folder: Path, seconds: float = 60) -> None:
    """Date every file back (their change times stay: see `settle`)."""
    when = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (when, when))


def settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make files changed just now count as settled (change times cannot be set back)."""
    monkeypatch.setattr(pack_module, "SETTLE_NS", -10 * SETTLE_NS)


class Counted:
    """`read_target`, counting the files it reads."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, target: str | Path, **options: object) -> tuple[list[Release], list[str]]:
        self.read.append(Path(target).name)
        return read_target(target, **options)  # type: ignore[arg-type]


def read_all(folder: Path, reader: Counted | None = None) -> tuple[list[Release], list[str]]:
    """Read a folder through the pack, as the app does; write the pack when needed."""
    reads = CachedReads(
        reader or read_target, plan_targets([str(folder)], []), ReadOptions(use_cache=True)
    )
    releases: list[Release] = []
    messages: list[str] = []
    for read in reads:
        releases += read.releases
        messages += [*read.warnings, *([read.error] if read.error else [])]
    reads.save()
    return releases, messages


def packs(home: Path) -> list[Path]:
    return sorted((home / "cache" / "packs").glob("*"))


def test_every_corpus_release_round_trips(istio_releases: list[Release]) -> None:
    back = decode_releases(encode_releases(istio_releases))
    assert back == istio_releases
    assert [r.front_matter for r in back] == [r.front_matter for r in istio_releases]
    loaded, rows = load_releases(dump_releases(istio_releases))
    assert loaded == istio_releases and decode_releases(rows) == istio_releases


def test_a_folder_is_read_from_its_pack_as_without_it(
    folder: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(monkeypatch)
    expected = load([str(folder)])
    first, counted = Counted(), Counted()
    assert read_all(folder, first) == (expected.releases, expected.warnings)
    assert len(packs(home)) == 1
    again = read_all(folder, counted)
    assert again == (expected.releases, expected.warnings)
    assert [r.front_matter for r in again[0]] == [r.front_matter for r in expected.releases]
    # Only the file that cannot be read at all is read again; the pack is not rewritten.
    assert counted.read == ["binary.md"]
    assert not CachedReads(read_target, plan_targets([str(folder)], []), ReadOptions(True)).save()
    assert load([str(folder)], use_cache=True).releases == expected.releases


def test_files_changed_after_the_pack_are_read_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(monkeypatch)
    read_all(folder)
    changed = folder / "1.2.0.md"
    before = changed.stat()
    # The same size, the modification time set back: the change time still tells.
    changed.write_text(NOTES.replace("bug", "BUG 2"), "utf-8")
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert changed.stat().st_size == before.st_size
    counted = Counted()
    releases, _ = read_all(folder, counted)
    assert "1.2.0.md" in counted.read
    assert releases == load([str(folder)]).releases
    assert any("BUG 2" in entry.summary for r in releases for entry in r.entries)


def test_files_changed_just_before_reading_are_not_trusted_on_their_signature(
    folder: Path,
) -> None:
    """Git's racy files: a change within the same clock tick may keep every time."""
    (folder / "1.0.0.md").write_text(NOTES.replace("bug", "new bug"), "utf-8")
    read_all(folder)
    targets = plan_targets([str(folder)], [])
    reader = open_pack(targets, ReadOptions().base_url, None, None)
    trusted = {Path(t).name for i, t in enumerate(targets) if reader.vouches(i)}
    # Every file was changed just now (their change times): none is trusted yet...
    assert trusted == set()
    counted = Counted()
    assert read_all(folder, counted)[0] == load([str(folder)]).releases
    assert "1.0.0.md" in counted.read


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"notes-tui pack\n", "truncate", "flip", "zero-digest"],
)
def test_a_damaged_pack_is_a_miss_and_is_rewritten(
    folder: Path, home: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes | str
) -> None:
    settle(monkeypatch)
    expected = read_all(folder)
    (path,) = packs(home)
    data = path.read_bytes()
    if damage == "truncate":
        broken = data[: len(data) // 2]
    elif damage == "flip":
        broken = bytearray(data)
        broken[len(data) // 2] ^= 0xFF
        broken = bytes(broken)
    elif damage == "zero-digest":
        broken = data[:15] + bytes(16) + data[31:]
    else:
        assert isinstance(damage, bytes)
        broken = damage
    path.write_bytes(broken)
    assert read_pack(str(path)) is None
    assert read_all(folder) == expected
    assert read_pack(str(path)) is not None  # written whole again
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_garbled_packs_never_raise(
    folder: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes changed under a recomputed checksum: a miss or the right type, never an error."""
    settle(monkeypatch)
    expected = read_all(folder)
    (path,) = packs(home)
    original = path.read_bytes()
    body_start = len(b"notes-tui pack\n") + 16
    rng = random.Random(7)

    for _ in range(200):
        body = bytearray(original[body_start:])
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(body))
            body[at] = rng.randrange(256)
        digest = hashlib.blake2b(bytes(body), digest_size=16).digest()
        path.write_bytes(original[:15] + digest + bytes(body))
        releases, _ = read_all(folder)
        assert all(isinstance(release, Release) for release in releases)
        path.write_bytes(original)
    assert read_all(folder) == expected


def test_mistyped_rows_are_refused(istio_releases: list[Release]) -> None:
    rows = encode_releases(istio_releases[:3])
    release = list(rows[0])
    release[0] = 1  # the version
    with pytest.raises(CacheFormatError):
        decode_releases((tuple(release),))
    with pytest.raises(CacheFormatError):
        decode_releases([rows[0]])
    with pytest.raises(CacheFormatError):
        decode_releases((rows[0][:-1],))


def test_another_parser_version_is_another_pack(
    folder: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(monkeypatch)
    read_all(folder)
    (old,) = packs(home)
    monkeypatch.setattr(notes_tui.parse, "PARSER_VERSION", notes_tui.parse.PARSER_VERSION + "x")
    assert read_pack(str(old)) is None  # its parser version is not this one
    counted = Counted()
    read_all(folder, counted)
    assert len(counted.read) == 7 and len(packs(home)) == 2


def test_no_cache_never_writes_a_pack(folder: Path, home: Path) -> None:
    load([str(folder)])
    load([str(folder)], use_cache=False)
    assert not (home / "cache").exists()


def test_an_unwritable_cache_is_no_error(folder: Path, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "cache").write_text("not a folder")
    expected = load([str(folder)])
    releases, warnings = read_all(folder)
    assert releases == expected.releases
    assert any("cannot write the cache" in warning for warning in warnings)
    assert read_all(folder)[0] == expected.releases


def test_lazy_backports_are_the_backports(istio_releases: list[Release]) -> None:
    session = Session()
    session.add(istio_releases)
    expected = backports(istio_releases)
    keys = [(i.repo, i.number) for e in session.index.entries[::5] for i in e.issues]
    assert all(session.backports.get(key) == expected.get(key) for key in keys)
    assert session.backports == expected


async def test_the_app_writes_the_pack_after_loading_and_reads_it_next_time(
    istio_corpus: Path, home: Path
) -> None:
    targets = plan_targets([str(istio_corpus)], [])
    shown: list[list[str]] = []
    for _ in range(2):
        app = NotesApp([], "", FakeSystem(), targets=targets, use_cache=True)
        async with running(app, size=(160, 50)) as pilot:
            main = app.main
            assert main is not None
            session = main.session
            await wait_for(pilot, lambda: session.progress is None, 60)  # noqa: B023
            await wait_for(pilot, lambda: bool(packs(home)), 60)
            assert status_text(app) == "3766 of 3766 entries"
            shown.append([entry.summary for entry in session.visible])
    assert shown[0] == shown[1]


def test_workers_wait_for_before_workers(istio_corpus: Path) -> None:
    """The app holds worker processes back until its first frame; reading here never waits."""
    targets = plan_targets([str(istio_corpus)], [])
    calls: list[int] = []
    serial = list(
        read_in_order(read_target, targets, processes=1, before_workers=lambda: calls.append(1))
    )
    assert calls == []
    pooled = list(
        read_in_order(read_target, targets, processes=2, before_workers=lambda: calls.append(2))
    )
    assert calls == [2]
    assert [r.releases for r in pooled] == [r.releases for r in serial]
