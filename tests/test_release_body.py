"""A release's text alone (a GitHub release's body, a file per release): one release, its format."""

from __future__ import annotations

from pathlib import Path

from notes_tui.parse import parse_text
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.front_matter import split_front_matter

GITHUB_BODY = """## What's Changed
* Add retry option by @alice in https://github.com/acme/tool/pull/120
* Fix race in cache by @bob in https://github.com/acme/tool/pull/118

## New Contributors
* @carol made their first contribution in https://github.com/acme/tool/pull/119

**Full Changelog**: https://github.com/acme/tool/compare/v1.1.0...v1.2.0
"""
"""What `gh release view v1.2.0 --json body -q .body` prints."""

SECTIONS = """### Features
- Dark mode toggle (#120)

### Bug Fixes
- Crash on empty config (#117)

### Breaking Changes
- The `legacy` option was removed (#110)
"""
"""A file per release (`v3.1.0.md`): its sections, no version heading."""


def test_a_github_release_body_from_standard_input_is_one_release_in_its_format() -> None:
    (release,) = parse_text(GITHUB_BODY, "-")
    assert release.format == "github"
    assert release.version == "v1.2.0"  # from its compare link
    assert [(e.kind, e.summary, e.author) for e in release.entries] == [
        ("Added", "Add retry option", "@alice"),
        ("Fixed", "Fix race in cache", "@bob"),
    ]
    assert [ref.url for ref in release.entries[0].issues] == [
        "https://github.com/acme/tool/pull/120"
    ]
    assert "first contribution" in release.prose


def test_a_file_per_release_takes_its_version_from_its_name_and_its_kinds_from_headings() -> None:
    (release,) = parse_text(SECTIONS, str(Path("notes") / "v3.1.0.md"), repo="acme/tool")
    assert release.version == "3.1.0"
    assert [(e.kind, e.summary) for e in release.entries] == [
        ("Added", "Dark mode toggle"),
        ("Fixed", "Crash on empty config"),
        ("Breaking", "The legacy option was removed"),
    ]
    assert release.entries[0].issues[0].url == "https://github.com/acme/tool/issues/120"


def test_an_istio_page_without_its_front_matter_is_still_an_istio_page(seed_text: str) -> None:
    body = seed_text.split("---", 2)[2]
    (release,) = parse_text(body, "istio-1.28.0-change-notes.md")
    assert release.format == "istio"
    assert len(release.entries) == 47
    assert release.entries[0].kind_label == "Promoted"


def test_a_format_named_reads_a_text_without_release_headings_as_one_release() -> None:
    text = "Some words first.\n\n- Fix the parser\n- Add a flag\n"
    (release,) = parse_text(text, "notes.md", forced_format="generic")
    assert release.format == "generic"
    assert [e.kind for e in release.entries] == ["Fixed", "Added"]


def test_bold_verbs_in_a_github_body_do_not_make_it_an_istio_page() -> None:
    text = (
        "## What's Changed\n### Bug Fixes\n- **Fixed** a crash (#41)\n\n"
        "**Full Changelog**: https://github.com/acme/widget/compare/v1.1.0...v1.2.0\n"
    )
    (release,) = parse_text(text, "v1.2.0.md")
    assert release.format == "github"
    assert release.version == "1.2.0"
    assert [ref.url for ref in release.entries[0].issues] == [
        "https://github.com/acme/widget/issues/41"
    ]


def test_a_body_of_label_paragraphs_is_a_release_body() -> None:
    (release,) = parse_text("**Added**\n\n- A flag\n\n**Fixed**\n\n- A crash\n", "v2.0.0.md")
    assert [(e.kind, e.summary) for e in release.entries] == [
        ("Added", "A flag"),
        ("Fixed", "A crash"),
    ]


def test_istio_pages_without_front_matter_stay_istio_pages(istio_corpus: Path) -> None:
    # Old announcements have plain bullets under `## Bug fixes`; 1.6's change notes write
    # `- ***Added***`: none of them is a release body. (Pages whose headings name versions
    # are changelogs, with their front matter or without.)
    pages = 0
    for page in sorted(istio_corpus.rglob("*.md")):
        body = split_front_matter(page.read_text(encoding="utf-8")).body
        if parse_changelog(body, str(page)):
            continue
        pages += 1
        assert [r.format for r in parse_text(body, str(page))] == ["istio"], page
    assert pages > 300


def test_a_long_run_of_hashes_in_a_heading_is_read() -> None:
    text = "# " + " #" * 20000 + " x\n\n- Fix it\n"
    (release,) = parse_text(text, "notes.md")
    assert release.format == "istio"
