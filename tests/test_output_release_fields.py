"""`--json`'s release fields: each entry carries its release's compare URL and prose.

Checked by hand against the files: textual's link-reference footer (from line 3479), the
`**Full Changelog**:` and `New Contributors` lines of laravel-permission 8.1.0 (lines 5-29)
and pydantic v2.14.0b1 (lines 5-73).
"""

from __future__ import annotations

import json
from typing import Any

from changelog_support import corpus_releases, release

from notes_tui.model import Release
from notes_tui.output import compare_url, to_json


def objects(releases: tuple[Release, ...], version: str) -> list[dict[str, Any]]:
    """The JSON objects of one release's entries, rendered with every release known."""
    found: list[dict[str, Any]] = json.loads(
        to_json(release(releases, version).entries, None, releases)
    )
    return found


def test_keep_a_changelog_footer_gives_the_compare_url() -> None:
    textual = corpus_releases("textual/CHANGELOG.md")
    (first, *rest) = objects(textual, "8.2.8")
    assert first["compare_url"] == "https://github.com/Textualize/textual/compare/v8.2.7...v8.2.8"
    assert first["release_prose"] == f"Compare: <{first['compare_url']}>"
    assert all(o["compare_url"] == first["compare_url"] for o in rest)
    # 222 footer links for 226 releases.
    assert sum(1 for r in textual if compare_url(r)) == 222


def test_github_metadata_reaches_the_json() -> None:
    laravel = corpus_releases("laravel-permission/CHANGELOG.md")
    (entry, *_) = objects(laravel, "8.1.0")
    assert entry["compare_url"] == (
        "https://github.com/spatie/laravel-permission/compare/8.0.0...8.1.0"
    )
    prose = entry["release_prose"]
    assert "* @zainphp made their first contribution in" in prose
    assert "* @albertoarena made their first contribution in" in prose
    assert prose.endswith("**Full Changelog**: " + entry["compare_url"])
    # One `**Full Changelog**:` line in the file for each of 67 releases.
    assert sum(1 for r in laravel if compare_url(r)) == 67


def test_a_release_without_a_compare_url() -> None:
    pydantic = corpus_releases("pydantic/HISTORY.md")
    found = objects(pydantic, "v2.14.0b1")
    assert len(found) == 37
    assert {o["compare_url"] for o in found} == {""}
    prose = found[0]["release_prose"]
    assert prose.startswith("[GitHub release](https://github.com/pydantic/pydantic/releases/")
    assert "* @mberdyshev made their first contribution in [#13586]" in prose


def test_a_version_listed_twice_keeps_each_release() -> None:
    """textual lists `## [0.15.0]` twice (lines 2891 and 2898): 2 and 9 entries."""
    textual = corpus_releases("textual/CHANGELOG.md")
    twice = [r for r in textual if r.version == "0.15.0"]
    assert [len(r.entries) for r in twice] == [2, 9]
    rendered = json.loads(to_json([twice[1].entries[0], twice[0].entries[0]], None, twice))
    assert [o["line"] for o in rendered] == [2902, 2895]
    assert all(o["compare_url"].endswith("/compare/v0.14.0...v0.15.0") for o in rendered)


def test_without_the_releases_the_fields_are_empty() -> None:
    textual = corpus_releases("textual/CHANGELOG.md")
    (entry, *_) = json.loads(to_json(release(textual, "8.2.8").entries))
    assert (entry["compare_url"], entry["release_prose"]) == ("", "")
