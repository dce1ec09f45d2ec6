"""A release's text alone (a GitHub release's body, a file per release): one release, its format."""

from __future__ import annotations

from pathlib import Path

from notes_tui.parse import parse_text

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
