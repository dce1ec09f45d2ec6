"""Keep a Changelog, on Textual's CHANGELOG.md: counts, kinds and references checked by hand."""

from __future__ import annotations

from collections import Counter

from changelog_support import (
    corpus_formats,
    corpus_releases,
    entry_at,
    kinds,
    refs,
    release,
    row,
)

from notes_tui.parse import parse_text
from notes_tui.parse.changelog import split_releases
from notes_tui.parse.keepachangelog import FORMAT
from notes_tui.parse.markdown import tokenize

TEXTUAL = "textual/CHANGELOG.md"
PR = "Textualize/textual#"


def test_release_and_entry_counts() -> None:
    releases = corpus_releases(TEXTUAL)
    # 226 `## ` headings; 1,580 `- ` bullets at column 0, plus three ` - ` bullets at
    # column 1 under 0.47.0 (CommonMark makes them siblings, not sub-bullets: line 1995).
    assert len(releases) == 226
    assert sum(len(r.entries) for r in releases) == 1583
    assert {r.doc_kind for r in releases} == {"changelog"}
    assert {r.project for r in releases} == {"Textualize/textual"}


def test_kind_totals_follow_the_type_headings() -> None:
    # Bullets counted per `###` heading: Fixed 539 + Fix 1 + three bullets of 6.2.1 and
    # 0.85.2 (no heading; they open with "Fix"/"Fixed"); Changed 437 + `### Changes` 2.
    found = Counter(e.kind for r in corpus_releases(TEXTUAL) for e in r.entries)
    assert found == Counter(Added=587, Fixed=543, Changed=439, Removed=14)


def test_detection_per_block() -> None:
    formats = dict(Counter(name for _, name in corpus_formats(TEXTUAL)))
    assert formats == {"keep-a-changelog": 224, "generic": 2}
    # The two releases whose bullets sit directly under the release heading.
    generic = [title for title, name in corpus_formats(TEXTUAL) if name == "generic"]
    assert generic == ["6.2.1 - 2025-10-01", "0.85.2 - 2024-11-02"]


def test_newest_release() -> None:
    first = corpus_releases(TEXTUAL)[0]
    assert (first.version, first.title, first.date) == ("8.2.8", "8.2.8 - 2026-06-30", "2026-06-30")
    assert first.format == "keep-a-changelog"
    # The footer `[8.2.8]: https://.../compare/...` makes the heading a link: kept in the prose.
    assert first.prose == "Compare: <https://github.com/Textualize/textual/compare/v8.2.7...v8.2.8>"
    assert [s.title for s in first.sections] == ["Fixed", "Changed"]
    assert [(e.line, e.kind, refs(e)) for e in first.entries] == [
        (12, "Fixed", [PR + "6592"]),
        (13, "Fixed", [PR + "6598"]),
        (17, "Changed", [PR + "6594"]),
        (18, "Changed", [PR + "6593"]),
    ]


def test_sample_releases_checked_by_hand() -> None:
    releases = corpus_releases(TEXTUAL)
    # 8.2.7 (lines 20-37): trailing spaces after the date; three Added, four Changed, one Fixed.
    assert kinds(release(releases, "8.2.7")) == Counter(Added=3, Changed=4, Fixed=1)
    assert [refs(e) for e in release(releases, "8.2.7").entries] == [
        [PR + "6544"],
        [PR + "6544"],
        [PR + "6544"],
        [PR + "6543"],
        [PR + "6543"],
        [PR + "6543"],
        [PR + "6546"],
        [PR + "6546"],
    ]
    # 0.76.0 (line 1208): no date and no link reference either way; the footer has one.
    undated = release(releases, "0.76.0")
    assert undated.date is None
    assert kinds(undated) == Counter(Changed=5, Fixed=2, Added=1)
    assert undated.prose.startswith("Compare: <https://github.com/Textualize/textual/compare/")
    # 6.12.0 (line 222): the footer has no `[6.12.0]`, so the brackets stay in the title.
    assert release(releases, "6.12.0").title == "[6.12.0] - 2026-01-02"
    assert release(releases, "6.12.0").prose == ""
    # 6.7.1: a one-digit day, `2025-12-1`, read as an ISO date.
    assert release(releases, "6.7.1").date == "2025-12-01"
    # 0.1.10 (lines 3431-3445): an old issue of the repository's former owner.
    old = release(releases, "0.1.10")
    assert kinds(old) == Counter(Added=3, Changed=5)
    assert [refs(e) for e in old.entries if e.issues] == [["willmcgugan/textual#52"]]


def test_bracketed_and_misspelt_type_headings() -> None:
    releases = corpus_releases(TEXTUAL)
    # 0.17.2 (lines 2791-2802): `### [Fixed]` and `### [Changed]`.
    bracketed = release(releases, "0.17.2")
    assert [s.title for s in bracketed.sections] == ["Fixed", "Changed"]
    assert [row(e) for e in bracketed.entries] == [
        (2795, "Fixed", "[Fixed]", "Fixed", "", ["Textualize/textual#1613"]),
        (2796, "Fixed", "[Fixed]", "Fixed", "", ["Textualize/textual#2002"]),
        (2797, "Fixed", "[Fixed]", "Fixed", "", ["Textualize/textual#2194"]),
        (2798, "Fixed", "[Fixed]", "Fixed", "", ["Textualize/textual#2194"]),
        (2802, "Changed", "[Changed]", "Changed", "", []),
    ]
    # 8.0.1 (line 126): `### Changes` is Changed.
    assert [(e.kind, e.kind_label) for e in release(releases, "8.0.1").entries] == [
        ("Fixed", "Fixed"),
        ("Changed", "Changes"),
    ]


def test_trailing_urls_become_references_not_summary() -> None:
    releases = corpus_releases(TEXTUAL)
    two_urls = entry_at(releases, 2809)
    assert two_urls.summary == "Fixed freeze when ctrl-clicking links"
    assert refs(two_urls) == ["Textualize/textual#2167", "Textualize/textual#2073"]
    assert [link.url for link in two_urls.links] == [
        "https://github.com/Textualize/textual/issues/2167",
        "https://github.com/Textualize/textual/issues/2073",
    ]
    dotted = entry_at(releases, 37)
    assert dotted.summary == "Fixed text opacity with ANSI themes creating RGB colors."
    assert dotted.markdown == (
        "Fixed text opacity with ANSI themes creating RGB colors.  "
        "https://github.com/Textualize/textual/pull/6546"
    )


def test_laravel_old_releases_are_keep_a_changelog() -> None:
    releases = corpus_releases("laravel-permission/CHANGELOG.md")
    # 1.2.0 (line 1777) has `###Added`, which CommonMark reads as a paragraph.
    no_space = release(releases, "1.2.0")
    assert no_space.format == "keep-a-changelog"
    assert [row(e) for e in no_space.entries] == [
        (1781, "Added", "Added", "Added", "", []),
    ]
    assert no_space.entries[0].summary == "support for custom models"
    assert [(r.version, r.format, len(r.entries)) for r in releases[-4:]] == [
        ("1.1.0", "keep-a-changelog", 2),
        ("1.0.2", "keep-a-changelog", 1),
        ("1.0.1", "keep-a-changelog", 1),
        ("1.0.0", "keep-a-changelog", 1),
    ]


def test_unreleased_and_detection_on_a_small_file() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n### Fix\n\n- Fix a crash #3\n\n"
        "## [1.0.0] - 2024-05-06\n\n### Security \n\n- Patch CVE-2024-1234\n\n"
        "[Unreleased]: https://github.com/acme/tool/compare/v1.0.0...HEAD\n"
        "[1.0.0]: https://github.com/acme/tool/releases/tag/v1.0.0\n"
    )
    unreleased, first = parse_text(text, "CHANGELOG.md")
    assert (unreleased.version, unreleased.date, unreleased.format) == (
        "Unreleased",
        None,
        "keep-a-changelog",
    )
    assert unreleased.prose == "Compare: <https://github.com/acme/tool/compare/v1.0.0...HEAD>"
    (fix,) = unreleased.entries
    assert (fix.kind, fix.kind_label, refs(fix), fix.line) == ("Fixed", "Fix", ["acme/tool#3"], 7)
    (patch,) = first.entries
    assert (patch.kind, patch.cves) == ("Security", ("CVE-2024-1234",))
    assert first.prose == "Release: <https://github.com/acme/tool/releases/tag/v1.0.0>"


def test_detection_needs_a_type_heading() -> None:
    text = "## 1.0\n\n### [Removed]\n\n- x\n\n## 0.9\n\n### Parser\n\n- y\n"
    _, blocks = split_releases(tokenize(text), text.count("\n") + 1)
    assert [FORMAT.detect(block) for block in blocks] == [True, False]
