"""GitHub generated notes, on laravel-permission's CHANGELOG.md and pydantic's HISTORY.md."""

from __future__ import annotations

from collections import Counter

from changelog_support import corpus_formats, corpus_releases, entry_at, kinds, refs, release, row

from notes_tui.parse.changelog import split_releases
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.github import FORMAT
from notes_tui.parse.markdown import tokenize

LARAVEL = "laravel-permission/CHANGELOG.md"
PYDANTIC = "pydantic/HISTORY.md"
SPATIE = "spatie/laravel-permission#"
PYD = "pydantic/pydantic#"
WHATS_CHANGED = "What's Changed"


def test_laravel_counts() -> None:
    releases = corpus_releases(LARAVEL)
    # 229 `## ` headings, of which 7 `## What's Changed` and 5 `## New Contributors`.
    assert len(releases) == 217
    # 537 bullets at column 0: 95 under New Contributors (metadata) and 2 in a ```diff block.
    assert sum(len(r.entries) for r in releases) == 440
    assert {r.project for r in releases} == {"spatie/laravel-permission"}


def test_laravel_detection_per_block() -> None:
    formats = corpus_formats(LARAVEL)
    assert Counter(name for _, name in formats) == Counter(
        github=70, generic=142, **{"keep-a-changelog": 5}
    )
    by_version = {title.split()[0]: name for title, name in formats}
    # Generated notes; a release without them (8.0.0: one plain bullet); the old style.
    assert by_version["8.1.0"] == "github"
    assert by_version["8.0.0"] == "generic"
    # 7.0.0 and 5.9.1 have no `What's Changed`, but a `**Full Changelog**:` line.
    assert (by_version["7.0.0"], by_version["5.9.1"]) == ("github", "github")
    assert by_version["2.7.2"] == "generic"
    assert by_version["1.2.0"] == "keep-a-changelog"


def test_laravel_generated_release() -> None:
    newest = corpus_releases(LARAVEL)[0]
    assert (newest.version, newest.date, newest.format) == ("8.1.0", "2026-06-27", "github")
    # `## What's Changed` at the release's own level is a section; `### also` a category.
    (changed,) = newest.sections
    assert changed.title == WHATS_CHANGED
    assert [s.title for s in changed.subsections] == ["also"]
    assert changed.prose.startswith("Fixes malformed pipe strings")
    assert [row(e) for e in newest.entries] == [
        (8, "Fixed", "Fixed", WHATS_CHANGED, "@albertoarena", [SPATIE + "2960"]),
        (21, "Docs", "docs", WHATS_CHANGED, "@zainphp", [SPATIE + "2954"]),
        (22, "Dependency", "Bump", WHATS_CHANGED, "@dependabot[bot]", [SPATIE + "2959"]),
    ]
    assert [e.summary for e in newest.entries] == [
        "Fixed: mismatched surrounding quote characters in pipe-delimited role strings are "
        "now preserved instead of stripped.",
        "docs: modernize middleware usage examples",
        "Bump actions/checkout from 6 to 7",
    ]
    # New Contributors and Full Changelog are the release's metadata, not entries.
    assert newest.prose.startswith("* @zainphp made their first contribution in ")
    assert newest.prose.endswith(
        "**Full Changelog**: https://github.com/spatie/laravel-permission/compare/8.0.0...8.1.0"
    )


def test_laravel_sample_releases_checked_by_hand() -> None:
    releases = corpus_releases(LARAVEL)
    # 7.4.0 (lines 50-63): four entries, three New Contributors.
    four = release(releases, "7.4.0")
    assert [(e.kind, e.author, refs(e)) for e in four.entries] == [
        ("Dependency", "@dependabot[bot]", [SPATIE + "2945"]),
        ("Fixed", "@dhrupo", [SPATIE + "2943"]),
        ("Other", "@AnjeyNov", [SPATIE + "2928"]),
        ("Added", "@Briareos17", [SPATIE + "2922"]),
    ]
    assert four.prose.count("made their first contribution") == 3
    # 6.10.0 (lines 421-457): five entries, then `#### Docs` (7) and `#### Other` (2).
    categories = release(releases, "6.10.0")
    assert kinds(categories) == Counter(Docs=7, Other=4, Fixed=1, Changed=1, Removed=1)
    assert [(s.title, len(s.entries)) for s in categories.sections[0].subsections] == [
        ("Docs", 7),
        ("Other", 2),
    ]
    assert {e.area for e in categories.entries} == {WHATS_CHANGED}
    # 6.10.1: a bare `#2749` in the title is the file's repository.
    assert refs(release(releases, "6.10.1").entries[0]) == [SPATIE + "2759", SPATIE + "2749"]
    # 7.0.0 (lines 144-187): headings that name no kind; entries keep their own verbs.
    modern = release(releases, "7.0.0")
    assert len(modern.entries) == 16
    assert {e.area for e in modern.entries} == {"Modernize codebase for v7"}
    assert kinds(modern) == Counter(Other=12, Removed=3, Added=1)
    # `## 6;24.1` (line 196): the version is kept as written.
    assert release(releases, "6;24.1").date == "2026-02-09"


def test_pydantic_counts() -> None:
    releases = corpus_releases(PYDANTIC)
    # 193 `## ` headings, one of them `## New Contributors` (line 869).
    assert len(releases) == 192
    # Bullets at column 0 outside New Contributors (and its `#### pydantic` sub-headings).
    assert sum(len(r.entries) for r in releases) == 1970
    assert Counter(name for _, name in corpus_formats(PYDANTIC)) == Counter(github=148, generic=44)


def test_pydantic_detection_per_block() -> None:
    by_version = {title.split()[0]: name for title, name in corpus_formats(PYDANTIC)}
    assert by_version["v2.14.0b1"] == "github"  # What's Changed
    assert by_version["v2.1.0"] == "github"  # `by @user in [#N](url)` only
    assert by_version["v2.0.2"] == "github"  # `text, [#N](url) by @user`
    assert by_version["v1.10.13"] == "github"  # `text, #N by @user`
    assert by_version["v2.0b3"] == "generic"  # a paragraph and a link
    assert by_version["v0.13.0"] == "generic"  # `[#N](url), by @a and @b`


def test_pydantic_categorised_release() -> None:
    newest = corpus_releases(PYDANTIC)[0]
    assert (newest.version, newest.title, newest.date) == (
        "v2.14.0b1",
        "v2.14.0b1 (2026-08-06)",
        "2026-08-06",
    )
    # Lines 9-60: `#### Packaging` 1, `New Features` 2, `Changes` 8, `Performance` 5, `Fixes` 21.
    assert kinds(newest) == Counter(Fixed=21, Changed=8, Performance=5, Added=2, Dependency=1)
    (changed,) = newest.sections
    assert [s.title for s in changed.subsections] == [
        "Packaging",
        "New Features",
        "Changes",
        "Performance",
        "Fixes",
    ]
    assert changed.prose.startswith("This is the first beta release of the 2.14 version")
    assert newest.prose.startswith(
        "[GitHub release](https://github.com/pydantic/pydantic/releases/tag/v2.14.0b1)"
    )
    assert newest.prose.count("made their first contribution") == 4
    packaging = (17, "Dependency", "Packaging", WHATS_CHANGED, "@Viicos", [PYD + "13193"])
    assert row(newest.entries[0]) == packaging
    assert (
        entry_at(corpus_releases(PYDANTIC), 45).summary == "Validate falsy AliasGenerator outputs"
    )


def test_pydantic_tricky_entries() -> None:
    releases = corpus_releases(PYDANTIC)
    # Line 82: three authors, then a description after the credit.
    several = entry_at(releases, 82)
    assert several.summary == "Add PyEmscripten platform tag support"
    assert several.author == "@Viicos, @greateggsgreg, @sinaatalay"
    assert refs(several) == [PYD + "13199", "pyodide/pyodide#6233"]
    # Line 1329: `in in [pydantic/pydantic-core#1397](...)`.
    twice = entry_at(releases, 1329)
    assert (twice.author, refs(twice)) == ("@sydney-runkle", ["pydantic/pydantic-core#1397"])
    # Line 1548: `##### Internal Improvements` under `#### Performance` keeps its kind.
    nested = entry_at(releases, 1548)
    assert (nested.kind, nested.kind_label) == ("Performance", "Internal Improvements")
    # v2.0.2 (lines 2561-2571): the v1 style `text, [#N](url) by @user`.
    old_style = release(releases, "v2.0.2")
    assert [(e.kind, e.author, refs(e)) for e in old_style.entries] == [
        ("Fixed", "@dmontagu", [PYD + "6457"]),
        ("Other", "@dmontagu", [PYD + "6405"]),
        ("Fixed", "@dmontagu", [PYD + "6440"]),
        ("Docs", "@miili", [PYD + "6452"]),
        ("Changed", "@dmontagu", [PYD + "6436"]),
    ]
    assert old_style.entries[0].summary == (
        "Fix bug where round-trip pickling/unpickling a RootModel would change the value of "
        "__dict__"
    )
    # v1.10.14: `by @user in #7690`, a bare number of the file's repository.
    plain = release(releases, "v1.10.14")
    assert [refs(e) for e in plain.entries] == [
        [PYD + "7690"],
        [PYD + "7740"],
        [PYD + "8540", PYD + "8587"],
        [PYD + "8407"],
    ]
    assert plain.entries[2].summary == "Ubuntu fixes for V1"
    # v1.10.13: `text, #7673 by @user`.
    (email, _) = release(releases, "v1.10.13").entries
    assert (email.summary, email.author) == (
        "Fix: Add max length check to pydantic.validate_email",
        "@hramezani",
    )
    # v1.8, line 3104: a bold lead names the kind, above its `### Changes` heading.
    bold = entry_at(releases, 3104)
    assert (bold.kind, bold.kind_label, bold.area) == ("Breaking", "Breaking Change", "Changes")


def test_detection_markers() -> None:
    text = (
        "## 1.2\n\n* Fix it by @ann in https://github.com/o/r/pull/3\n\n"
        "## 1.1\n\n**Full Changelog**: https://github.com/o/r/compare/1.0...1.1\n\n"
        "## 1.0\n\n* Fix it (#2)\n"
    )
    _, blocks = split_releases(tokenize(text), text.count("\n") + 1)
    assert [FORMAT.detect(block) for block in blocks] == [True, True, False]


def test_credits_of_several_authors_are_found_and_many_credits_on_a_line_are_read() -> None:
    text = (
        "## v2.0.0\n\n"
        "* Fix the cache by @alice and @bob in https://github.com/o/r/pull/7\n"
        "* Fix " + "by @carol " * 3000 + "\n"
    )
    (block,) = split_releases(tokenize(text), text.count("\n"))[1]
    assert FORMAT.detect(block)
    releases = parse_changelog(text, "CHANGELOG.md")
    first, second = releases[0].entries
    assert (first.summary, first.author) == ("Fix the cache", "@alice, @bob")
    assert second.summary.startswith("Fix by @carol")
