"""The kind vocabulary: headings and leading words as release tools and projects write them."""

from __future__ import annotations

import pytest

from notes_tui.parse import parse_text
from notes_tui.parse.vocabulary import heading_kind, word_kind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("⚠ BREAKING CHANGES", "Breaking"),  # release-please
        ("💥 Breaking Changes", "Breaking"),  # release-drafter
        ("Breaking Changes 🛠", "Breaking"),  # GitHub's release.yml example
        ("Exciting New Features 🎉", "Added"),
        ("🚀 Features", "Added"),
        ("🐛 Bug Fixes", "Fixed"),
        ("📝 Documentation", "Docs"),
        ("Major Changes", "Breaking"),  # changesets
        ("Minor Changes", "Added"),
        ("Patch Changes", "Fixed"),
        ("Backwards incompatible changes in 5.0", "Breaking"),  # Django
        ("Features deprecated in 5.0", "Deprecated"),
        ("Features removed in 5.0", "Removed"),
        ("Bugs", "Fixed"),
        ("Fixed bugs", "Fixed"),
        ("Incompatible changes", "Breaking"),
        ("Upgrade notes", "Breaking"),
        ("[Fixed]", "Fixed"),
        ("Changes:", "Changed"),
    ],
)
def test_headings_that_name_a_kind(title: str, kind: str) -> None:
    assert heading_kind(title) == kind


@pytest.mark.parametrize("title", ["Networking", "Istio 1.28", "Bug triage process", "🎉"])
def test_headings_that_name_no_kind(title: str) -> None:
    assert heading_kind(title) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("feat!: drop node 16", ("Breaking", "feat!")),
        ("fix(api)!: rename connect to open", ("Breaking", "fix!")),
        ("feat: a new flag", ("Added", "feat")),
        ("refactor!: remove init()", ("Breaking", "refactor!")),
        ("fix(core/api)!: change the default timeout", ("Breaking", "fix!")),
        ("fix(core): a crash", ("Fixed", "fix")),
        ("Wow! it works", None),
    ],
)
def test_conventional_commit_words(text: str, found: tuple[str, str] | None) -> None:
    assert word_kind(text) == found


RELEASE_DRAFTER = """# Changelog

## v2.3.0

### 💥 Breaking Changes

- The `legacy` option was removed (#110)

### 🐛 Bug Fixes

- Crash on empty config (#117)
"""


def test_emoji_kind_headings_give_entries_their_kind_and_breaking_finds_them() -> None:
    releases = parse_text(RELEASE_DRAFTER, "CHANGELOG.md")
    assert [(e.kind, e.area) for e in releases[0].entries] == [
        ("Breaking", "💥 Breaking Changes"),
        ("Fixed", "🐛 Bug Fixes"),
    ]


def test_a_breaking_conventional_commit_beats_its_kind_heading() -> None:
    text = "## v2.0.0\n\n### 🚀 Features\n\n- feat!: drop Node 16\n- feat: add a flag\n"
    (release,) = parse_text(text, "CHANGELOG.md")
    assert [e.kind for e in release.entries] == ["Breaking", "Added"]


def test_maintenance_is_an_area_and_its_entries_keep_their_own_kind() -> None:
    text = "## v2.0.0\n\n### 🧰 Maintenance\n\n- Bump lodash to 4.17.21\n"
    (release,) = parse_text(text, "CHANGELOG.md")
    assert [(e.area, e.kind) for e in release.entries] == [("🧰 Maintenance", "Dependency")]
