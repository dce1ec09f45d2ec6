"""Shared helpers for the changelog-format tests: parse a corpus file once, look entries up."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

from notes_tui.model import Entry, Release
from notes_tui.parse import parse_text
from notes_tui.parse.changelog import (
    ChangelogContext,
    ChangelogFormat,
    ReleaseBlock,
    split_releases,
)
from notes_tui.parse.formats import detected_formats
from notes_tui.parse.markdown import tokenize

OTHER_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "other"
"""`shared/corpus/other/`: the changelogs of other projects."""


def blocks_of(path: Path) -> list[ReleaseBlock]:
    """The release blocks of a file."""
    text = path.read_text(encoding="utf-8")
    return split_releases(tokenize(text), len(text.split("\n")))[1]


def read_as(path: Path, fmt: ChangelogFormat, repo: str, base_url: str) -> tuple[Release, ...]:
    """Every release block of a file read in one format, bypassing detection."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    _, blocks = split_releases(tokenize(text), len(lines))
    ctx = ChangelogContext(str(path), lines, base_url, repo, repo)
    return tuple(fmt.parse(block, ctx) for block in blocks)


@cache
def corpus_releases(relative: str) -> tuple[Release, ...]:
    """Parse one file of `corpus/other/` (once per test run)."""
    path = OTHER_CORPUS / relative
    return tuple(parse_text(path.read_text(encoding="utf-8"), str(path)))


@cache
def corpus_formats(relative: str) -> tuple[tuple[str, str], ...]:
    """`(release heading, format)` for each release block of a corpus file."""
    return tuple(detected_formats((OTHER_CORPUS / relative).read_text(encoding="utf-8")))


def release(releases: tuple[Release, ...], version: str) -> Release:
    """The first release of a version."""
    return next(r for r in releases if r.version == version)


def kinds(release: Release) -> Counter[str]:
    """How many entries of each kind a release has."""
    return Counter(entry.kind for entry in release.entries)


def refs(entry: Entry) -> list[str]:
    """An entry's issue references as `owner/name#N`."""
    return [f"{issue.repo}#{issue.number}" for issue in entry.issues]


def row(entry: Entry) -> tuple[int, str, str, str, str, list[str]]:
    """`(line, kind, kind_label, area, author, refs)` of an entry, for compact expectations."""
    return (entry.line, entry.kind, entry.kind_label, entry.area, entry.author, refs(entry))


def entry_at(releases: tuple[Release, ...], line: int) -> Entry:
    """The entry that starts on a 1-based line."""
    return next(e for r in releases for e in r.entries if e.line == line)
