"""towncrier's Markdown output, on attrs' CHANGELOG.md: counts, kinds and issues checked by hand."""

from __future__ import annotations

from collections import Counter

from changelog_support import corpus_formats, corpus_releases, entry_at, kinds, refs, release, row

from notes_tui.parse.changelog import split_releases
from notes_tui.parse.markdown import tokenize
from notes_tui.parse.towncrier import FORMAT

ATTRS = "attrs/CHANGELOG.md"
ISSUE = "python-attrs/attrs#"


def test_release_and_entry_counts() -> None:
    releases = corpus_releases(ATTRS)
    # 35 `## [version](url) - date` headings, 260 `- ` bullets at column 0.
    assert len(releases) == 35
    assert sum(len(r.entries) for r in releases) == 260
    assert {r.project for r in releases} == {"python-attrs/attrs"}
    assert (releases[0].version, releases[-1].version) == ("26.1.0", "15.0.0")


def test_every_block_is_towncrier() -> None:
    assert Counter(name for _, name in corpus_formats(ATTRS)) == Counter(towncrier=35)


def test_kind_totals_follow_the_type_headings() -> None:
    # Bullets per heading: Changes(:) 218, Backward(s)-incompatible Changes(:) 17 + 11,
    # Deprecations(:) 14.
    found = Counter(e.kind for r in corpus_releases(ATTRS) for e in r.entries)
    assert found == Counter(Changed=218, Breaking=28, Deprecated=14)


def test_newest_release() -> None:
    newest = corpus_releases(ATTRS)[0]
    assert (newest.title, newest.date, newest.format) == (
        "26.1.0 - 2026-03-19",
        "2026-03-19",
        "towncrier",
    )
    assert newest.prose == "Release: <https://github.com/python-attrs/attrs/tree/26.1.0>"
    assert [s.title for s in newest.sections] == ["Backwards-incompatible Changes", "Changes"]
    breaking = "Backwards-incompatible Changes"
    assert [row(e) for e in newest.entries] == [
        (27, "Breaking", breaking, breaking, "", [ISSUE + "1509"]),
        (34, "Changed", "Changes", "Changes", "", [ISSUE + "1496"]),
        (36, "Changed", "Changes", "Changes", "", [ISSUE + "1513"]),
        (38, "Changed", "Changes", "Changes", "", [ISSUE + "1515"]),
        (40, "Changed", "Changes", "Changes", "", [ISSUE + "1529"]),
    ]


def test_sample_releases_checked_by_hand() -> None:
    releases = corpus_releases(ATTRS)
    # 25.4.0 (lines 44-103): one breaking change with a code block, nine changes.
    sample = release(releases, "25.4.0")
    assert kinds(sample) == Counter(Changed=9, Breaking=1)
    assert [refs(e) for e in sample.entries] == [
        [ISSUE + "1457"],
        [ISSUE + "1427"],
        [ISSUE + "1446", ISSUE + "1451"],
        [ISSUE + "1448"],
        [ISSUE + "1449"],
        [ISSUE + "1454"],
        [ISSUE + "1461"],
        [ISSUE + "1463"],
        [ISSUE + "1469"],
        [ISSUE + "1474"],
    ]
    assert "```python\n@attrs.define(kw_only=True)" in sample.entries[0].markdown
    # 24.2.0 (lines 157-170): a deprecation, two changes.
    assert kinds(release(releases, "24.2.0")) == Counter(Changed=2, Deprecated=1)
    # 17.1.0: headings end with a colon; `[#136]` is a reference to the file's footer.
    colons = release(releases, "17.1.0")
    assert [s.title for s in colons.sections] == [
        "Backward-incompatible Changes",
        "Deprecations",
        "Changes",
    ]
    assert kinds(colons) == Counter(Changed=15, Breaking=2, Deprecated=1)
    assert refs(colons.entries[0]) == [ISSUE + "136"]
    assert refs(colons.entries[3]) == [ISSUE + "136", ISSUE + "142"]
    # 15.0.0: "Initial release." is a paragraph, not an entry.
    first = release(releases, "15.0.0")
    assert (len(first.entries), first.sections[0].prose) == (0, "Initial release.")


def test_issue_links_end_the_entry_but_not_its_summary() -> None:
    releases = corpus_releases(ATTRS)
    two_issues = entry_at(releases, 78)
    assert two_issues.summary == "Added support for Python 3.14 and PEP 749."
    assert (two_issues.kind, two_issues.kind_label) == ("Changed", "Changes")
    # A bare `#487` in the text is the file's repository.
    bare = next(e for r in releases for e in r.entries if "#487" in e.text)
    assert ISSUE + "487" in refs(bare)


def test_detection_leaves_keep_a_changelog_alone() -> None:
    text = "## 2.0\n\n### Changes\n\n- a\n\n## 1.0\n\n### Changes\n\n- b\n\n### Fixed\n\n- c\n"
    _, blocks = split_releases(tokenize(text), text.count("\n") + 1)
    assert [FORMAT.detect(block) for block in blocks] == [True, False]
