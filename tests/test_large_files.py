"""Large changelogs are tokenised a release block at a time, and read exactly as a whole parse.

`parse.blockwise` cuts the text where a top-level block starts, so that each block's tokens
are garbage before the next is made (`test_memory.py` measures what that saves). Here the
cuts are made as small as they go (a piece per column-0 heading) and every result is compared
with the whole-file tokenisation's: the real changelogs, documents built to put a fence, an
HTML block, a reference definition or a list nested past markdown-it's limit across a cut,
and generated ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes_tui.model import Release
from notes_tui.parse import blockwise, parse_text
from notes_tui.parse.formats import parse_changelog

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
"""`shared/corpus/`."""

CHANGELOGS = sorted((CORPUS / "other").glob("*/*.md"))
"""The other projects' changelogs."""


@contextmanager
def pieces_of(chars: int) -> Iterator[None]:
    """Make the first pass block-parse about `chars` characters at a time."""
    saved = blockwise.SCAN_CHARS
    blockwise.SCAN_CHARS = chars
    try:
        yield
    finally:
        blockwise.SCAN_CHARS = saved


def both_ways(text: str, source: str = "project/CHANGELOG.md") -> tuple[list[Release], ...]:
    """The releases of a whole-text tokenisation, then those of a block-by-block one."""
    whole = parse_changelog(text, source, block_by_block=False)
    return whole, parse_changelog(text, source, block_by_block=True)


@pytest.mark.parametrize("chars", [1, 4096, blockwise.SCAN_CHARS])
@pytest.mark.parametrize("path", CHANGELOGS, ids=lambda path: path.parent.name)
def test_real_changelogs_read_block_by_block_as_whole(path: Path, chars: int) -> None:
    text = path.read_text(encoding="utf-8")
    with pieces_of(chars):
        whole, by_block = both_ways(text, str(path))
    assert whole, "a changelog with releases"
    assert by_block == whole  # every field of every release and entry, lines included


def test_istio_pages_read_block_by_block_as_whole() -> None:
    """Istio's pages are no changelogs, but their fences, shortcodes and HTML are cut too."""
    compared = 0
    with pieces_of(1):
        for path in sorted((CORPUS / "istio").rglob("*.md")):
            whole, by_block = both_ways(path.read_text(encoding="utf-8"), str(path))
            assert by_block == whole, path
            compared += len(whole)
    assert compared > 100


def entry_lines(releases: list[Release], text: str) -> dict[str, str]:
    """Each entry's summary, and the file line its `line` points at."""
    lines = text.split("\n")
    return {
        entry.summary: lines[entry.line - 1] for release in releases for entry in release.entries
    }


def test_a_fence_across_a_cut_hides_its_headings() -> None:
    """`## v9.9.9` lines in a code block are code, not releases, wherever the cut falls."""
    code = "".join(f"## v9.9.{index}\n" for index in range(50))
    text = (
        "# Changelog\n\n## v1.1.0\n\n### Fixed\n\n- Fixed the example.\n\n```sh\n"
        f"{code}```\n\n## v1.0.0\n\n### Added\n\n- Added everything.\n"
    )
    with pieces_of(40):
        whole, by_block = both_ways(text)
    assert [release.version for release in by_block] == ["v1.1.0", "v1.0.0"]
    assert by_block == whole
    assert entry_lines(by_block, text) == {
        "Fixed the example.": "- Fixed the example.",
        "Added everything.": "- Added everything.",
    }


@pytest.mark.parametrize(
    "opening, closing",
    [("<!--", "-->"), ("<pre>", "</pre>"), ("<div>", ""), ("~~~", "~~~"), ("```", "")],
    ids=["comment", "pre", "div", "tilde-fence", "unclosed-fence"],
)
def test_blocks_that_run_past_a_heading(opening: str, closing: str) -> None:
    """HTML blocks and fences go on across column-0 heading lines; an unclosed fence to the end."""
    inside = "".join(f"## 2.{index}.0\n- not an entry\n" for index in range(30))
    text = f"## 3.0.0\n\n- Changed one.\n{opening}\n{inside}{closing}\n\n## 1.0.0\n\n- Added two.\n"
    for chars in (1, 30, 300):
        with pieces_of(chars):
            whole, by_block = both_ways(text)
        assert by_block == whole


def test_definitions_at_the_end_serve_every_block() -> None:
    """Keep a Changelog puts `[1.1.0]: compare URL` last: each heading is a link all the same."""
    text = (
        "# Changelog\n\n## [1.1.0] - 2024-02-01\n\n### Fixed\n\n- Fixed [a bug][bug].\n\n"
        "## [1.0.0] - 2024-01-01\n\n### Added\n\n- Added a thing.\n\n"
        "[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0\n"
        "[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n"
        "[bug]: https://github.com/o/r/issues/12\n"
    )
    with pieces_of(1):
        whole, by_block = both_ways(text)
    assert by_block == whole
    newer = by_block[0]
    assert newer.title == "1.1.0 - 2024-02-01"
    assert "https://github.com/o/r/compare/v1.0.0...v1.1.0" in newer.prose
    (entry,) = newer.entries
    assert [ref.number for ref in entry.issues] == [12]


def test_a_list_nested_past_the_limit_swallows_the_rest_as_a_whole_parse_does() -> None:
    """markdown-it skips the rest of a list nested 20 deep: to the end of the file, here too."""
    text = (
        "## 2.0.0\n\n- Fixed one.\n" + "- " * 30 + "deep\n\n## 1.0.0\n\n- Added two.\n"
    ) + "".join(f"\n## 0.{index}.0\n\n- Old {index}.\n" for index in range(20))
    with pieces_of(1):
        whole, by_block = both_ways(text)
    assert by_block == whole


def test_large_texts_are_read_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """`parse_text` chooses the block-by-block reading above `LARGE_TEXT`, with one result."""
    path = CORPUS / "other" / "prometheus" / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    whole = parse_text(text, str(path))
    called: list[int] = []
    find = blockwise.find_release_starts

    def spy(text: str, scan_chars: int | None = None) -> blockwise.ReleaseStarts | None:
        called.append(len(text))
        return find(text, scan_chars)

    monkeypatch.setattr(blockwise, "find_release_starts", spy)
    monkeypatch.setattr(blockwise, "LARGE_TEXT", len(text) - 1)
    assert parse_text(text, str(path)) == whole
    assert called == [len(text)]


LINES = [
    "# v1.0.0",
    "## 1.2.0",
    "## [1.3.0] - 2024-01-01",
    "## Unreleased",
    "### Fixed",
    "### Added",
    "## Changes",
    "#### 4.5.6",
    "  ## 7.8.9",
    "2.0.0",
    "=====",
    "---",
    "",
    "",
    "- Fixed a bug (#12).",
    "- **Added** a [link](https://github.com/o/r/pull/3).",
    "  - a sub-item",
    "  continued",
    "* another list",
    "1. ordered",
    "> a quote",
    "plain text",
    "```",
    "```sh",
    "~~~",
    "  ```",
    "    indented code",
    "<!-- a comment",
    "-->",
    "<!-- one line -->",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "| a | b |",
    "|---|---|",
    "[ref]: https://github.com/o/r/issues/7",
    "- see [ref] and [1.3.0]",
    "[1.3.0]: https://github.com/o/r/compare/v1.2.0...v1.3.0",
    "- " * 25 + "deep",
    "> " * 25 + "deep",
    "nul \0 here",
]
"""Lines that open, continue or close every kind of block, for generated changelogs."""


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.sampled_from(LINES), max_size=60),
    ending=st.sampled_from(["", "\n", "\n\n"]),
    chars=st.sampled_from([1, 10, 100]),
)
def test_generated_changelogs_read_block_by_block_as_whole(
    lines: list[str], ending: str, chars: int
) -> None:
    text = "\n".join(lines) + ending
    with pieces_of(chars):
        whole, by_block = both_ways(text)
    assert by_block == whole
