"""Which headings start a release: mixed levels, as conventional-changelog and others write them."""

from __future__ import annotations

import pytest

from notes_tui.parse import has_front_matter, parse_text
from notes_tui.parse.changelog import release_starts
from notes_tui.parse.formats import parse_changelog
from notes_tui.selection import in_version_order
from notes_tui.versions import release_version

CONVENTIONAL = """# Changelog

All notable changes to this project will be documented in this file.

## [2.1.1](https://github.com/o/r/compare/v2.1.0...v2.1.1) (2024-02-10)


### Bug Fixes

* **parser:** handle empty input ([#45](https://github.com/o/r/issues/45))

# [2.1.0](https://github.com/o/r/compare/v2.0.1...v2.1.0) (2024-02-01)


### Features

* **cli:** add --json flag ([#40](https://github.com/o/r/issues/40))

## [2.0.1](https://github.com/o/r/compare/v2.0.0...v2.0.1) (2024-01-15)


### Bug Fixes

* **core:** fix crash on startup ([#38](https://github.com/o/r/issues/38))

# [2.0.0](https://github.com/o/r/compare/v1.0.0...v2.0.0) (2024-01-01)


### Features

* **api:** new API ([#30](https://github.com/o/r/issues/30))
"""
"""conventional-changelog's layout: minor and major releases at `#`, patches at `##`."""

ONE_AT_THE_WRONG_LEVEL = """# Changelog

## 2.1.0 - 2024-02-01
- New thing in 2.1

## 2.0.0 - 2024-01-01
- Fix thing in 2.0

# 1.0.0
- Old thing in 1.0
"""

PATCHES_UNDER_MINORS = """# Changelog

## 1.2

### 1.2.1 (2024-02-01)

- Fix crash in 1.2.1

### 1.2.0 (2024-01-01)

- Add feature in 1.2.0

## 1.1

### 1.1.0 (2023-06-01)

- Add feature in 1.1.0
"""

HEADINGS_THAT_SAY_MORE = """# v1.32.0

## Changes since v1.31.0

- Fixed a bug

## 2.0 upgrade notes

- Removed the old API

# v1.31.0

- Added a thing
"""
"""Deeper headings that name a version but say more stay inside their release."""

UPCOMING = """# Changelog

## Upcoming

- Not yet released

## 1.2.0

- Released
"""


def releases_of(text: str, block_by_block: bool) -> list[tuple[str, str]]:
    releases = parse_changelog(text, "CHANGELOG.md", block_by_block=block_by_block)
    return [(release.version, entry.summary) for release in releases for entry in release.entries]


@pytest.mark.parametrize("block_by_block", [False, True], ids=["at once", "block by block"])
def test_conventional_changelog_keeps_its_patch_releases(block_by_block: bool) -> None:
    # The patches were areas of the minor before them, the first one lost as preamble.
    assert releases_of(CONVENTIONAL, block_by_block) == [
        ("2.1.1", "parser: handle empty input"),
        ("2.1.0", "cli: add --json flag"),
        ("2.0.1", "core: fix crash on startup"),
        ("2.0.0", "api: new API"),
    ]


@pytest.mark.parametrize("block_by_block", [False, True], ids=["at once", "block by block"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ONE_AT_THE_WRONG_LEVEL,
            [
                ("2.1.0", "New thing in 2.1"),
                ("2.0.0", "Fix thing in 2.0"),
                ("1.0.0", "Old thing in 1.0"),
            ],
        ),
        (
            PATCHES_UNDER_MINORS,
            [
                ("1.2.1", "Fix crash in 1.2.1"),
                ("1.2.0", "Add feature in 1.2.0"),
                ("1.1.0", "Add feature in 1.1.0"),
            ],
        ),
        (
            HEADINGS_THAT_SAY_MORE,
            [
                ("v1.32.0", "Fixed a bug"),
                ("v1.32.0", "Removed the old API"),
                ("v1.31.0", "Added a thing"),
            ],
        ),
        (UPCOMING, [("Upcoming", "Not yet released"), ("1.2.0", "Released")]),
    ],
    ids=["one at the wrong level", "patches under minors", "headings that say more", "upcoming"],
)
def test_release_headings_at_several_levels(
    text: str, expected: list[tuple[str, str]], block_by_block: bool
) -> None:
    assert releases_of(text, block_by_block) == expected


def test_release_starts() -> None:
    titles = [
        "1.2",
        "1.2.1 (2024-02-01)",
        "Changes since v1.1.0",
        "v1.1.0",
        "[1.0.0] - 2023-01-01",
    ]
    assert release_starts([2, 3, 3, 2, 4], titles) == [0, 1, 3, 4]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_changelog_that_opens_with_a_rule_is_not_front_matter(ending: str) -> None:
    # `---` at the top and another further down looked like front matter: the first
    # release was taken for YAML and ignored, the others named after the file.
    text = "---\n\n## 1.2.0\n\n- In 1.2.0\n\n---\n\n## 1.1.0\n\n- In 1.1.0\n"
    releases = parse_text(text.replace("\n", ending), "CHANGELOG.md")
    found = [(release.version, entry.summary) for release in releases for entry in release.entries]
    assert found == [("1.2.0", "In 1.2.0"), ("1.1.0", "In 1.1.0")]
    assert not any(release.warnings for release in releases)


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Change Notes\nrelease: 1.0.0\n---\n\n## Traffic\n\n- Fixed a bug\n",
        "---\n\n'title': Change Notes\n---\n\n## Traffic\n\n- Fixed a bug\n",
        "---\n---\n\n## Traffic\n\n- Fixed a bug\n",
    ],
    ids=["keys", "a quoted key after a blank line", "empty"],
)
def test_front_matter_still_makes_an_istio_page(text: str) -> None:
    assert has_front_matter(text)
    (release,) = parse_text(text, "notes.md")
    assert [(entry.area, entry.summary) for entry in release.entries] == [
        ("Traffic", "Fixed a bug")
    ]


def test_a_changelog_with_front_matter_is_read_as_a_changelog() -> None:
    # A documentation site's changelog page was one Istio page named after the file, its
    # releases taken for areas.
    text = (
        "---\ntitle: Changelog\nsidebar_position: 9\n---\n\n# Changelog\n\n"
        "## [1.2.0] - 2024-02-01\n\n### Added\n- Add foo\n\n### Fixed\n- Fix bar\n\n"
        "## [1.1.0] - 2024-01-01\n\n### Added\n- Add baz\n"
    )
    releases = parse_text(text, "docs/changelog.md")
    found = [
        (release.version, release.doc_kind, entry.area, entry.summary, entry.line)
        for release in releases
        for entry in release.entries
    ]
    assert found == [
        ("1.2.0", "changelog", "Added", "Add foo", 11),
        ("1.2.0", "changelog", "Fixed", "Fix bar", 14),
        ("1.1.0", "changelog", "Added", "Add baz", 19),
    ]


RELEASED_BY_DATE = """# Changelog

## 2024-05-01

- Fixed a crash on start
- Added a `--quiet` option

## [2024-04-15]

### Added

- The first export

## Notes

- Not a release, and not a date: stays with the release above
"""
"""A project released by date: each heading a date alone."""

MAJOR_ONLY = """# Changelog

## [v3] - 2024-06-01

### Fixed

- Fix the parser

## v2 (2024-01-01)

- Removed the old API

## v1

- First release
"""
"""A project that numbers releases by major version alone."""


def test_headings_that_are_a_date_alone_start_releases() -> None:
    releases = parse_changelog(RELEASED_BY_DATE, "CHANGELOG.md")
    assert [release.version for release in releases] == ["2024-05-01", "2024-04-15"]
    assert [release.date for release in releases] == ["2024-05-01", "2024-04-15"]
    first, second = releases
    assert [(e.kind, e.summary) for e in first.entries] == [
        ("Fixed", "Fixed a crash on start"),
        ("Added", "Added a --quiet option"),
    ]
    assert (second.entries[0].kind, second.entries[0].summary) == ("Added", "The first export")
    assert "Not a release, and not a date" in second.entries[-1].summary


def test_headings_that_are_a_major_version_alone_start_releases() -> None:
    releases = parse_changelog(MAJOR_ONLY, "CHANGELOG.md")
    assert [release.version for release in releases] == ["v3", "v2", "v1"]
    assert [release.date for release in releases] == ["2024-06-01", "2024-01-01", None]
    assert [e.summary for release in releases for e in release.entries] == [
        "Fix the parser",
        "Removed the old API",
        "First release",
    ]


@pytest.mark.parametrize(
    "title",
    [
        "2024",
        "v2 and more",
        "Version 2",
        "2024-05-01 to 2024-06-01",
        "2024-05-01 \u2013 2024-05-14",
        "2024-04-15 - 2024-04-30",
        "Released 2024-05-01",
    ],
)
def test_other_headings_with_a_number_do_not_start_releases(title: str) -> None:
    text = f"# Changelog\n\n## 1.0.0\n\n- Something\n\n## {title}\n\n- Else\n"
    releases = parse_changelog(text, "CHANGELOG.md")
    assert [release.version for release in releases] == ["1.0.0"]


@pytest.mark.parametrize("text", [RELEASED_BY_DATE, MAJOR_ONLY])
def test_a_large_file_read_block_by_block_finds_the_same_releases(text: str) -> None:
    whole = parse_changelog(text, "CHANGELOG.md", block_by_block=False)
    by_block = parse_changelog(text, "CHANGELOG.md", block_by_block=True)
    assert by_block == whole


GROUPED = """# Changelog

## v2

### Release 2.1.0 (May 1, 2024)

- Added the thing

### Release 2.0.0 (January 5, 2024)

- Removed the old API

## v1

### Release 1.1.0

- Fixed a crash

## 2024-05-01

### api v1.4.0

- Added pagination
"""
"""Major versions and dates as groups over the headings of their releases."""


def test_a_date_or_major_heading_over_versions_groups_them_and_is_no_release() -> None:
    releases = parse_changelog(GROUPED, "CHANGELOG.md")
    assert [release.version for release in releases] == ["2.1.0", "2.0.0", "1.1.0", "v1.4.0"]
    assert [[e.summary for e in release.entries] for release in releases] == [
        ["Added the thing"],
        ["Removed the old API"],
        ["Fixed a crash"],
        ["Added pagination"],
    ]


@pytest.mark.parametrize(
    "name", ["Next", "[Next release]", "Not yet released", "In development", "TBD"]
)
def test_a_heading_naming_what_is_not_released_yet_starts_a_release(name: str) -> None:
    text = f"# Changelog\n\n## {name}\n\n- Fix pending bug\n\n## 1.2.0\n\n- Fix A\n"
    releases = parse_changelog(text, "CHANGELOG.md")
    assert [[e.summary for e in release.entries] for release in releases] == [
        ["Fix pending bug"],
        ["Fix A"],
    ]
    assert releases[0].version == name.strip("[]")


def test_a_major_version_alone_is_ordered_and_ranged_as_its_x_0_0() -> None:
    text = "# Changelog\n\n## [v3] - 2024-06-01\n\n- Rewrote it\n\n## 2.5.0\n\n- Fix B\n"
    releases = parse_changelog(text, "CHANGELOG.md")
    assert [str(release_version(release)) for release in releases] == ["3.0.0", "2.5.0"]
    assert [release.version for release in in_version_order(releases)] == ["2.5.0", "v3"]


GROUPS_BESIDE_A_RELEASE = """# Changelog

## v2

### Release 2.1.0

- Fixed a bug.

### Release 2.0.0

- Added a thing.

## v1

- Initial release.
"""
"""A major version that groups releases, beside one that is a release: nothing is lost."""


def test_groups_beside_a_release_lose_no_entry() -> None:
    releases = parse_changelog(GROUPS_BESIDE_A_RELEASE, "CHANGELOG.md")
    assert [release.version for release in releases][:2] == ["2.1.0", "2.0.0"]
    summaries = [e.summary for release in releases for e in release.entries]
    assert summaries == ["Fixed a bug.", "Added a thing.", "Initial release."]


def test_main_and_head_are_sections_not_releases() -> None:
    text = "### Highlights\n\n- New plugin API.\n\n### Main\n\n- Fix a crash.\n\n"
    text += "### HEAD\n\n- Add x.\n"
    releases = parse_text(text, "v3.1.0.md")
    assert [(r.version, len(r.entries)) for r in releases] == [("3.1.0", 3)]
