"""The parse cache: hits, misses, damage, staleness, unwritable folders, and exact round trips."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

import notes_tui.parse
from notes_tui.cache import (
    cache_dir,
    cache_key,
    cache_path,
    from_dict,
    load_cached,
    parse_with_cache,
    store,
    to_dict,
)
from notes_tui.loading import load
from notes_tui.model import Entry, IssueRef, Link, Release, Section
from notes_tui.parse import parse_text

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
    # JSON, never pickle; no temporary file left behind.
    assert json.loads(path.read_bytes())["releases"][0]["version"] == "1.28.0"
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
    document["releases"][0]["sections"][0]["entries"][0]["line"] = "18"
    path.write_text(json.dumps(document))
    assert load_cached(sample_key()) is None


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


def test_cache_folder_that_is_a_file(home: Path) -> None:
    (home / "cache").write_text("not a folder")
    parser = CountingParser()
    releases = parse_sample(parser)
    assert not store(sample_key(), releases)
    assert load_cached(sample_key()) is None


def test_bad_keys_never_reach_the_file_system() -> None:
    assert not store("../../escape", [])
    assert load_cached("../../escape") is None


def test_every_corpus_release_round_trips(releases: list[Release]) -> None:
    assert len(releases) == 399
    for release in releases:
        back = from_dict(Release, json.loads(json.dumps(to_dict(release))))
        assert back == release, release.source
        # `front_matter` is left out of `==`: compare it explicitly.
        assert back.front_matter == release.front_matter, release.source


def test_every_model_field_is_written(releases: list[Release]) -> None:
    (release,) = [r for r in releases if Path(r.source) == SAMPLE]
    entry = next(e for e in release.entries if e.links and e.issues)
    samples: list[Any] = [release, release.sections[0], entry, entry.links[0], entry.issues[0]]
    for sample in samples:
        assert set(to_dict(sample)) == {field.name for field in fields(sample)}
    assert {type(s) for s in samples} == {Release, Section, Entry, Link, IssueRef}


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
    back = from_dict(Release, json.loads(json.dumps(to_dict(release))))
    assert back.front_matter == front_matter
    unsupported = replace(releases[0], front_matter={"blob": b"bytes"})
    assert not store(sample_key(), [unsupported])
