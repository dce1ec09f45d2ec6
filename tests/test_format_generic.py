"""The generic fallback: an unknown CHANGELOG (tests/data), and corpus blocks no format claims."""

from __future__ import annotations

from pathlib import Path

from changelog_support import corpus_releases, entry_at, refs, release, row

from notes_tui.model import Release
from notes_tui.parse import parse_text

UNKNOWN = "unknown-changelog.md"


def parse_unknown(data_dir: Path, **options: str) -> list[Release]:
    path = data_dir / UNKNOWN
    return parse_text(path.read_text(encoding="utf-8"), str(path), **options)


def test_unknown_changelog_releases(data_dir: Path) -> None:
    releases = parse_unknown(data_dir)
    assert [(r.version, r.date, r.format, len(r.entries)) for r in releases] == [
        ("2.1.0", "2024-03-05", "generic", 3),
        ("2.0.0", "2024-01-10", "generic", 3),
        ("1.0.0", None, "generic", 0),
    ]
    # No GitHub link to infer a repository from: the project is the folder's name.
    assert {r.project for r in releases} == {"data"}
    assert {r.doc_kind for r in releases} == {"changelog"}
    assert releases[2].prose == "Initial release."


def test_headings_are_areas_unless_they_name_a_kind(data_dir: Path) -> None:
    newest = parse_unknown(data_dir)[0]
    parser, fixes = newest.sections
    assert (parser.title, [s.title for s in parser.subsections]) == ("Parser", ["Bug Fixes"])
    assert fixes.title == "Bug Fixes"
    assert fixes.prose == "Prose under the release's last section."
    assert [row(e) for e in newest.entries] == [
        (9, "Other", "", "Parser", "", ["acme/other#7"]),
        # `#### Bug Fixes` under `### Parser`: the kind Fixed, the area Parser.
        (13, "Fixed", "Bug Fixes", "Parser", "", []),
        (17, "Fixed", "Bug Fixes", "Bug Fixes", "", []),
    ]
    assert newest.entries[1].summary == "Fix crash on empty input"


def test_bullets_without_heading_take_their_first_word(data_dir: Path) -> None:
    middle = parse_unknown(data_dir)[1]
    assert [s.title for s in middle.sections] == ["Changes"]
    assert [(e.kind, e.kind_label, e.author, e.summary) for e in middle.entries] == [
        ("Removed", "Removed", "", "Removed the legacy --old flag"),
        ("Other", "", "@alice", "New --fast mode"),
        ("Other", "", "", "Speed up startup"),
    ]


def test_repo_resolves_bare_numbers(data_dir: Path) -> None:
    newest = parse_unknown(data_dir, repo="acme/mytool")[0]
    assert [refs(e) for e in newest.entries] == [["acme/other#7"], ["acme/mytool#12"], []]
    assert newest.project == "acme/mytool"


def test_generic_blocks_of_the_corpus() -> None:
    textual = corpus_releases("textual/CHANGELOG.md")
    # 6.2.1 (lines 350-353): two bullets straight under the release heading.
    loose = release(textual, "6.2.1")
    assert loose.format == "generic"
    assert [row(e) for e in loose.entries] == [
        (352, "Fixed", "Fix", "Changes", "", ["Textualize/textual#6148"]),
        (353, "Fixed", "Fix", "Changes", "", ["Textualize/textual#6148"]),
    ]
    laravel = corpus_releases("laravel-permission/CHANGELOG.md")
    # 1.5.0 (lines 1739-1747): lower-case verbs, and a `** this version...` paragraph.
    old = release(laravel, "1.5.0")
    assert [(e.kind, e.kind_label) for e in old.entries] == [
        ("Changed", "allowed"),
        ("Changed", "allowed"),
        ("Added", "added"),
        ("Added", "added"),
        ("Removed", "dropped"),
    ]
    assert old.prose.startswith("** this version does not work in Laravel 5.1")
    # 2.26.0 (lines 1262-1285): `### NOTES:` is an area holding only prose (a numbered list).
    notes = release(laravel, "2.26.0")
    assert [s.title for s in notes.sections] == ["Changes", "NOTES"]
    assert len(notes.entries) == 1
    assert notes.sections[1].prose.startswith("The following changes are not")
    pydantic = corpus_releases("pydantic/HISTORY.md")
    # v1.7.4 (line 3182): `**Security fix:**` names the kind.
    security = entry_at(pydantic, 3182)
    assert (security.kind, security.kind_label, security.cves) == (
        "Security",
        "Security fix",
        ("CVE-2021-29510",),
    )
    # v0.2.0 (line 3914): `**breaking change**:`.
    assert entry_at(pydantic, 3914).kind == "Breaking"
    # v2.0b3 (line 2594): a version with a pre-release glued on, and no entries.
    beta = release(pydantic, "v2.0b3")
    assert (beta.format, beta.date, len(beta.entries)) == ("generic", "2023-06-16", 0)


NUMBERED = """# Changelog

## 1.3.0

Two steps before upgrading:

1. Back up the database.
2. Stop the workers.

- Fixed the exporter's crash on empty input
- Added a `--dry-run` option

## 1.2.0

1. Fixed a crash on start (#12)
2. Added the `--quiet` option

## [1.1.0] - 2024-01-01

### Fixed

1. Fix the parser on empty files
"""
"""Numbered lists: steps beside bullets (prose), and releases written as numbered items."""


def test_a_release_written_as_numbered_items_has_them_as_entries() -> None:
    releases = parse_text(NUMBERED, "CHANGELOG.md", repo="o/r")
    assert [(r.version, [(e.kind, e.summary) for e in r.entries]) for r in releases] == [
        (
            "1.3.0",
            [
                ("Fixed", "Fixed the exporter's crash on empty input"),
                ("Added", "Added a --dry-run option"),
            ],
        ),
        (
            "1.2.0",
            [("Fixed", "Fixed a crash on start"), ("Added", "Added the --quiet option")],
        ),
        ("1.1.0", [("Fixed", "Fix the parser on empty files")]),
    ]
    assert [ref.number for ref in releases[1].entries[0].issues] == [12]
    # Beside bullets, the numbered steps stay with the release's prose.
    assert "Back up the database." in releases[0].prose


LABELLED = """# Changelog

## 1.2.0 (2024-03-01)

**Added**
- Dark mode toggle.

***Changed:***

- The default port is 8080.

**Removed**

- The `--legacy` flag.

## 1.1.0

*Bug fixes:*

- Typo in help text.

Features:

- A `--json` flag.

**Thanks to everyone who helped!**

- @alice
"""
"""Kinds given by label paragraphs (bold, italic, or closed by a colon) instead of headings."""


def test_label_paragraphs_that_name_a_kind_give_the_bullets_after_them_that_kind() -> None:
    releases = parse_text(LABELLED, "CHANGELOG.md")
    assert [(r.version, [(e.kind, e.summary) for e in r.entries]) for r in releases] == [
        (
            "1.2.0",
            [
                ("Added", "Dark mode toggle."),
                ("Changed", "The default port is 8080."),
                ("Removed", "The --legacy flag."),
            ],
        ),
        (
            "1.1.0",
            [("Fixed", "Typo in help text."), ("Added", "A --json flag."), ("Other", "@alice")],
        ),
    ]


SCOPED_LABELS = """# Changelog

## 2.0.0

Upgrade notes:

- The `timeout` key is renamed.

Everything else:

- Fix a typo in the help text.

Changes:

- Add shell completion.
- Bump requests to 2.32.

## 1.9.0

**Security**

- Fix a path traversal.

**Contributors**

- @alice
"""
"""Labels, each over its list only; `Changes:` says too little to be one."""


def test_a_label_covers_the_list_right_after_it_and_changes_is_no_label() -> None:
    releases = parse_text(SCOPED_LABELS, "CHANGELOG.md")
    assert [[(e.kind, e.summary) for e in r.entries] for r in releases] == [
        [
            ("Breaking", "The timeout key is renamed."),
            ("Fixed", "Fix a typo in the help text."),
            ("Added", "Add shell completion."),
            ("Dependency", "Bump requests to 2.32."),
        ],
        [("Security", "Fix a path traversal."), ("Other", "@alice")],
    ]
