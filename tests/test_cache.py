"""The parse cache: hits, misses, damage, staleness, unwritable folders, and exact round trips."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import random
import tempfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

import notes_tui.cache
import notes_tui.cache as cache_module
import notes_tui.parse
from notes_tui.cache import (
    cache_dir,
    cache_key,
    cache_path,
    is_cached,
    load_cached,
    parse_options,
    parse_with_cache,
    store,
)
from notes_tui.cache_format import (
    CacheFormatError,
    from_row,
    releases_from_json,
    releases_json,
    to_row,
)
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.loading import load
from notes_tui.model import Entry, IssueRef, Link, Release, Section
from notes_tui.parse import parse_text
from notes_tui.reading import read_target

ISTIO_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "istio"
"""`shared/corpus/istio/`, beside the repository."""
SAMPLE = ISTIO_DIR / "releases" / "1.28.x" / "announcing-1.28" / "change-notes" / "index.md"
"""A real page with entries, links and issues."""
BASE_URL = "https://istio.io"


class CountingParser:
    """`parse_text`, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str, source: str, base_url: str) -> list[Release]:
        self.calls += 1
        return parse_text(text, source, base_url)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own `NOTES_TUI_HOME`, so nothing touches the real cache."""
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def releases() -> list[Release]:
    """Every release of the Istio corpus, loaded once for this module."""
    return load([str(ISTIO_DIR)]).releases


def parse_sample(parser: CountingParser, data: bytes | None = None) -> list[Release]:
    """Parse the sample page (or other bytes under its name) through the cache."""
    data = SAMPLE.read_bytes() if data is None else data
    return parse_with_cache(data, data.decode(), str(SAMPLE), BASE_URL, parser)


def sample_key() -> str:
    return cache_key(SAMPLE.read_bytes(), str(SAMPLE), BASE_URL)


def test_cache_dir(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cache_dir() == home / "cache"
    monkeypatch.delenv("NOTES_TUI_HOME")
    assert cache_dir().name == "notes-tui" or "notes-tui" in cache_dir().parts


def test_hit(home: Path) -> None:
    parser = CountingParser()
    first = parse_sample(parser)
    second = parse_sample(parser)
    assert parser.calls == 1
    assert second == first and second[0].front_matter == first[0].front_matter
    path = cache_path(sample_key())
    assert path.parent == home / "cache" / "releases"
    # JSON, never pickle: one array per release, its fields in the model's order; no
    # temporary file left behind.
    assert json.loads(path.read_bytes())["releases"][0][0] == "1.28.0"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_miss_on_other_source_or_base_url() -> None:
    parser = CountingParser()
    data = SAMPLE.read_bytes()
    parse_with_cache(data, data.decode(), "a.md", BASE_URL, parser)
    parse_with_cache(data, data.decode(), "b.md", BASE_URL, parser)
    parse_with_cache(data, data.decode(), "b.md", "https://example.com", parser)
    assert parser.calls == 3
    assert cache_key(data, "a.md", BASE_URL) != cache_key(data, "b.md", BASE_URL)


def test_disabled_never_touches_the_folder(home: Path) -> None:
    parser = CountingParser()
    data = SAMPLE.read_bytes()
    for _ in range(2):
        parse_with_cache(data, data.decode(), str(SAMPLE), BASE_URL, parser, enabled=False)
    assert parser.calls == 2
    assert not (home / "cache").exists()


def test_files_over_the_cached_size_bypass_the_cache(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = SAMPLE.read_bytes()
    monkeypatch.setattr(cache_module, "MAX_CACHED_INPUT", len(data) - 1)
    parser = CountingParser()
    for _ in range(2):
        parse_sample(parser, data)
    assert parser.calls == 2
    assert not (home / "cache").exists()
    monkeypatch.setattr(cache_module, "MAX_CACHED_INPUT", len(data))
    for _ in range(2):
        parse_sample(parser, data)
    assert parser.calls == 3


def test_changed_content_is_a_new_key() -> None:
    parser = CountingParser()
    parse_sample(parser)
    changed = SAMPLE.read_bytes() + b"\n- **Fixed** one more thing.\n"
    releases = parse_sample(parser, changed)
    assert parser.calls == 2
    assert releases[0].entries[-1].summary == "Fixed one more thing."
    assert parse_sample(parser, changed) == releases and parser.calls == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"\x80\x81garbage\x00\xff",
        b"",
        b"[" * 100_000,
        b'{"format": 1, "parser_version": "x", "key": "k", "releases": [{"version": 1}]}',
    ],
    ids=["garbage", "empty", "deeply-nested", "wrong-fields"],
)
def test_damaged_entry_is_rebuilt(damage: bytes) -> None:
    parser = CountingParser()
    expected = parse_sample(parser)
    path = cache_path(sample_key())
    path.write_bytes(damage)
    assert load_cached(sample_key()) is None
    assert parse_sample(parser) == expected and parser.calls == 2
    assert load_cached(sample_key()) == expected  # rewritten whole


def test_garbled_entries_never_raise() -> None:
    """Bytes flipped, dropped or repeated anywhere in an entry: a miss or releases, no error."""
    parse_sample(CountingParser())
    path = cache_path(sample_key())
    original = path.read_bytes()
    rng = random.Random(4)
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(damaged))
            action = rng.choice(("flip", "drop", "repeat"))
            if action == "flip":
                damaged[at] = rng.choice(b'[]{}",:0123456789truefalsnl\\ ')
            elif action == "drop":
                del damaged[at : at + rng.randint(1, 50)]
            else:
                damaged[at:at] = damaged[at : at + rng.randint(1, 50)]
        path.write_bytes(bytes(damaged))
        found = load_cached(sample_key())
        assert found is None or all(isinstance(release, Release) for release in found)


def test_truncated_entry_is_rebuilt() -> None:
    parser = CountingParser()
    expected = parse_sample(parser)
    path = cache_path(sample_key())
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert load_cached(sample_key()) is None
    assert parse_sample(parser) == expected and parser.calls == 2


def test_mistyped_field_is_a_miss() -> None:
    parse_sample(CountingParser())
    path = cache_path(sample_key())
    document = json.loads(path.read_bytes())
    entry = document["releases"][0][5][0][2][0]  # release > sections > entries
    line = entry[10]  # `line`
    assert type(line) is int
    entry[10] = str(line)
    path.write_text(json.dumps(document))
    assert load_cached(sample_key()) is None
    damages: list[object] = [True, None, [], -1.5, {"line": line}]
    for damage in damages:
        entry[10] = damage
        path.write_text(json.dumps(document))
        assert load_cached(sample_key()) is None, damage
    entry[10] = line
    entry.append("an extra field")
    path.write_text(json.dumps(document))
    assert load_cached(sample_key()) is None
    entry.pop()
    path.write_text(json.dumps(document))
    assert load_cached(sample_key()) is not None


def test_parser_version_bump_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = CountingParser()
    parse_sample(parser)
    old_key = sample_key()
    monkeypatch.setattr(notes_tui.parse, "PARSER_VERSION", notes_tui.parse.PARSER_VERSION + "-new")
    assert sample_key() != old_key
    parse_sample(parser)
    assert parser.calls == 2
    # A file that claims the old version under the new key is stale too.
    stale = json.loads(cache_path(old_key).read_bytes())
    stale["key"] = sample_key()
    cache_path(sample_key()).write_text(json.dumps(stale))
    assert load_cached(sample_key()) is None


def test_unwritable_folder_is_skipped(home: Path) -> None:
    folder = home / "cache" / "releases"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user that chmod does not stop (root)")
        parser = CountingParser()
        releases = parse_sample(parser)
        assert releases[0].version == "1.28.0"
        assert not store(sample_key(), releases)
        assert parse_sample(parser) == releases and parser.calls == 2
    finally:
        folder.chmod(0o700)


def test_write_failures_are_skipped_and_leave_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What chmod 500 does for other users, made to happen for root too."""
    releases = parse_text(SAMPLE.read_text(), str(SAMPLE), BASE_URL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    assert not store(sample_key(), releases)
    # The temporary file was removed again.
    assert list((home / "cache" / "releases").iterdir()) == []
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    parser = CountingParser()
    assert parse_sample(parser) == releases and parse_sample(parser) == releases
    assert parser.calls == 2


def store_many(key: str, releases: list[Release], times: int) -> None:
    """In a child process: write the same entry again and again."""
    for _ in range(times):
        assert store(key, releases)


def test_two_processes_writing_at_once(home: Path) -> None:
    """Writers racing on one entry: a reader only ever sees a miss or the whole entry."""
    releases = parse_text(SAMPLE.read_text(), str(SAMPLE), BASE_URL)
    key = sample_key()
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=store_many, args=(key, releases, 40)) for _ in range(2)]
    for writer in writers:
        writer.start()
    seen = []
    while any(writer.is_alive() for writer in writers):
        seen.append(load_cached(key))
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert all(found is None or found == releases for found in seen)
    assert load_cached(key) == releases
    # Every temporary file was renamed into place: only the entry is left.
    assert [p.name for p in (home / "cache" / "releases").iterdir()] == [f"{key}.json"]


def test_cache_folder_that_is_a_file(home: Path) -> None:
    (home / "cache").write_text("not a folder")
    parser = CountingParser()
    releases = parse_sample(parser)
    assert not store(sample_key(), releases)
    assert load_cached(sample_key()) is None


def test_entries_too_large_to_read_are_not_written(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    releases = parse_text(SAMPLE.read_text(), str(SAMPLE), BASE_URL)
    monkeypatch.setattr(notes_tui.cache, "MAX_ENTRY_BYTES", 1000)
    assert not store(sample_key(), releases)
    assert not (home / "cache").exists()


def test_bad_keys_never_reach_the_file_system() -> None:
    assert not store("../../escape", [])
    assert load_cached("../../escape") is None


def test_every_corpus_release_round_trips(releases: list[Release]) -> None:
    assert len(releases) == 399
    for release in releases:
        back = from_row(Release, json.loads(json.dumps(to_row(release))))
        assert back == release, release.source
        # `front_matter` is left out of `==`: compare it explicitly.
        assert back.front_matter == release.front_matter, release.source
    document = releases_json("", releases)
    assert document.isascii()
    back_all = releases_from_json(document.encode("ascii"), "")
    assert back_all == releases
    with pytest.raises(CacheFormatError):
        releases_from_json(document, sample_key())  # written for another key


def test_every_model_field_is_written(releases: list[Release]) -> None:
    (release,) = [r for r in releases if Path(r.source) == SAMPLE]
    entry = next(e for e in release.entries if e.links and e.issues)
    samples: list[Any] = [release, release.sections[0], entry, entry.links[0], entry.issues[0]]
    for sample in samples:
        row = to_row(sample)
        assert len(row) == len(fields(sample))
        # In the model's order: a field's value sits at its place.
        for value, field in zip(row, fields(sample), strict=True):
            if isinstance(value, str | int) and not isinstance(value, bool):
                assert value == getattr(sample, field.name), field.name
    assert {type(s) for s in samples} == {Release, Section, Entry, Link, IssueRef}


def test_a_model_change_is_a_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows have no field names: entries written for other model fields must never be read."""
    old_key = sample_key()
    monkeypatch.setattr(notes_tui.cache, "LAYOUT", "another-layout")
    assert sample_key() != old_key


def test_parse_options_key_what_read_target_stores(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_text("## 1.0.0\n\n- Fixed a bug.\n", encoding="utf-8")
    data = path.read_bytes()
    read_target(path, use_cache=True, forced_format="generic", repo="someone/fork")
    options = parse_options("generic", "someone/fork")
    assert is_cached(cache_key(data, str(path), DEFAULT_BASE_URL, options))
    assert not is_cached(cache_key(data, str(path), DEFAULT_BASE_URL))
    read_target(path, use_cache=True)
    assert parse_options(None, None) == ""
    assert is_cached(cache_key(data, str(path), DEFAULT_BASE_URL))
    assert not is_cached("../../escape")


def test_front_matter_beyond_json(releases: list[Release]) -> None:
    front_matter: dict[Any, Any] = {
        "publishdate": datetime.date(2025, 9, 3),
        "updated": datetime.datetime(2025, 9, 3, 12, 30, tzinfo=datetime.UTC),
        "weight": 10,
        "ratio": 0.5,
        "draft": False,
        "nothing": None,
        1: "an integer key",
        "nested": {"list": ["a", {"__type__": "date"}]},
    }
    release = replace(releases[0], front_matter=front_matter)
    back = from_row(Release, json.loads(json.dumps(to_row(release))))
    assert back.front_matter == front_matter
    row = json.loads(json.dumps(to_row(release)))
    row[6] = {"__type__": "date", "value": "2025-09-03"}  # front matter that is not a mapping
    with pytest.raises(CacheFormatError):
        from_row(Release, row)
    unsupported = replace(releases[0], front_matter={"blob": b"bytes"})
    assert not store(sample_key(), [unsupported])
