"""Prometheus `[TAG] Area: text #PR` changelogs, on Prometheus' CHANGELOG.md, checked by hand.

Counts come from the file itself (`grep` of tagged bullets per release, read where the
style changes), not from the parser's output.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from changelog_support import blocks_of, read_as

from notes_tui.model import Entry, Release
from notes_tui.parse.changelog import ChangelogContext, split_releases
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.markdown import tokenize
from notes_tui.parse.prometheus import FORMAT, strip_numbers

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
"""`shared/corpus/`."""
FILE = CORPUS / "other" / "prometheus" / "CHANGELOG.md"
REPO = "prometheus/prometheus"
OTHER_FILES = (
    "other/textual/CHANGELOG.md",
    "other/attrs/CHANGELOG.md",
    "other/laravel-permission/CHANGELOG.md",
    "other/pydantic/HISTORY.md",
    "other/kubernetes/CHANGELOG-1.32.md",
    "other/linkerd2/CHANGES.md",
)
"""The other changelogs of the corpus: no block of theirs is Prometheus-style."""
SEED = Path(__file__).resolve().parents[1] / "assets" / "istio-1.28.0-change-notes.md"


@cache
def parsed() -> tuple[Release, ...]:
    """The file, every block read as Prometheus-style (once per run)."""
    return read_as(FILE, FORMAT, REPO, f"https://github.com/{REPO}/blob/HEAD")


def release(version: str) -> Release:
    return next(r for r in parsed() if r.version == version)


def entry_at(line: int) -> Entry:
    return next(e for r in parsed() for e in r.entries if e.line == line)


def refs(entry: Entry) -> list[tuple[str, int, str]]:
    return [(issue.repo, issue.number, issue.type) for issue in entry.issues]


def test_release_and_entry_counts() -> None:
    releases = parsed()
    # 214 `## X.Y.Z / YYYY-MM-DD` headings, newest first (2.53.x LTS patches sit before 2.55).
    assert len(releases) == 214
    assert (releases[0].version, releases[0].date) == ("3.14.0", "2026-08-17")
    assert (releases[-1].version, releases[-1].date) == ("0.4.0", "2014-04-17")
    assert [r.version for r in releases[29:34]] == [
        "2.53.5",
        "2.53.4",
        "2.53.3",
        "2.53.2",
        "2.55.1",
    ]
    # 2,461 bullets open with a tag (`- [X]`, `* [X]`, ` * [X]`); one tagged line lost its
    # `* ` (2.51.2); 0.16.0 has 11 + 2 untagged bullets under `BREAKING CHANGES:` and
    # `Future breaking changes / deprecated features:`, 0.15.0 has 7 under `BREAKING
    # CHANGES:`. The 3 bullets after 3.11.3's thank-you paragraph are prose.
    assert sum(len(r.entries) for r in releases) == 2461 + 1 + 13 + 7
    assert {r.doc_kind for r in releases} == {"changelog"}
    assert {r.format for r in releases} == {"prometheus"}
    assert {r.project for r in releases} == {REPO}


def test_newest_release() -> None:
    newest = release("3.14.0")
    assert newest.title == "3.14.0 / 2026-08-17"
    # Lines 5-46: 5 CHANGE, 4 FEATURE, 7 ENHANCEMENT, 5 PERF, 21 BUGFIX; one `#N` each.
    assert Counter(e.kind_label for e in newest.entries) == Counter(
        BUGFIX=21, ENHANCEMENT=7, CHANGE=5, PERF=5, FEATURE=4
    )
    assert Counter(e.kind for e in newest.entries) == Counter(
        Fixed=21, Changed=12, Performance=5, Added=4
    )
    assert all(len(e.issues) == 1 and e.issues[0].type == "pull" for e in newest.entries)
    # Entries follow their sections (areas in order of first appearance): API is lines 5-6.
    assert [e.line for e in newest.entries][:4] == [5, 6, 7, 8]
    first = entry_at(5)
    assert first.summary == (
        "API: Deprecate the stats query parameter of /api/v1/query and /api/v1/query_range "
        "for values other than true and all."
    )
    assert (first.kind, first.kind_label, first.area, refs(first)) == (
        "Changed",
        "CHANGE",
        "API",
        [(REPO, 19124, "pull")],
    )
    assert first.issues[0].url == "https://github.com/prometheus/prometheus/pull/19124"
    assert [s.title for s in newest.sections][:4] == [
        "API",
        "Discovery/Hetzner",
        "PromQL",
        "Discovery",
    ]
    for section in newest.sections:
        assert {e.area_key for e in section.entries} == {section.key}


def test_security_release_with_thanks_list() -> None:
    rel = release("3.11.3")
    assert [(e.line, e.kind, e.area, [n for _, n, _ in refs(e)], e.cves) for e in rel.entries] == [
        (164, "Security", "AzureAD remote write", [18590], ("CVE-2026-42151",)),
        (165, "Security", "Remote-read", [18584], ("CVE-2026-42154",)),
        (166, "Security", "UI", [18588], ()),
    ]
    assert (
        rel.prose
        == (
            "This release fixes mutiple security issues.\n\n"
            "We would like to thank the following people for the responsible disclosures:\n"
            "- Shadowbyte (4c1dr3aper) - Charlie Lewis for the Remote-Read snappy decode "
            "vulnerability.\n"
            "- Brett Gervasoni for the AzureAD OAuth `client_secret` vulnerability.\n"
            "- @iiihaiii and @Ngocnn97 for the Old UI XSS vulnerability. "
        ).rstrip()
    )


def test_oldest_style_with_breaking_list() -> None:
    rel = release("0.16.0")
    assert rel.date == "2015-10-09"
    assert Counter(e.kind_label for e in rel.entries) == Counter(
        {
            "FEATURE": 27,
            "BUGFIX": 20,
            "CLEANUP": 16,
            "ENHANCEMENT": 14,
            "CHANGE": 12,
            "BREAKING CHANGES": 11,
            "Future breaking changes / deprecated features": 2,
        }
    )
    assert Counter(e.kind for e in rel.entries)["Breaking"] == 11
    assert Counter(e.kind for e in rel.entries)["Deprecated"] == 2
    assert [s.title for s in rel.sections] == ["General"]
    assert (
        rel.prose
        == "BREAKING CHANGES:\n\nFuture breaking changes / deprecated features:\n\nAll changes:"
    )
    breaking = entry_at(3001)
    assert breaking.summary == (
        "Regular expressions supplied via the configuration are now anchored to match full "
        "strings instead of substrings."
    )
    assert (breaking.kind, breaking.issues) == ("Breaking", ())


def test_compound_tag_and_cve() -> None:
    rel = release("2.13.0")
    assert Counter(e.kind_label for e in rel.entries) == Counter(
        {"ENHANCEMENT": 9, "BUGFIX": 4, "SECURITY/BUGFIX": 1, "CHANGE": 1}
    )
    entry = entry_at(2029)
    assert (
        entry.summary == "UI: Fix a Stored DOM XSS vulnerability with query history CVE-2019-10215."
    )
    assert (entry.kind, entry.kind_label, entry.area, entry.cves) == (
        "Security",
        "SECURITY/BUGFIX",
        "UI",
        ("CVE-2019-10215",),
    )
    assert refs(entry) == [(REPO, 6098, "pull")]


@pytest.mark.parametrize(
    ("line", "summary", "kind", "label", "area", "numbers"),
    [
        # A tagged line without `* ` (2.51.2).
        (
            871,
            "Notifier: could hang when using relabeling on alerts",
            "Fixed",
            "BUGFIX",
            "Notifier",
            [13861],
        ),
        # No area.
        (
            81,
            "Fix race condition in initTime that could cause ErrOutOfBounds.",
            "Fixed",
            "BUGFIX",
            "General",
            [18629],
        ),
        # A colon after the tag.
        (
            122,
            "AWS SD: Allows EC2 service discovery to discover IPv6 addresses to communicate with "
            "target endpoints.",
            "Changed",
            "ENHANCEMENT",
            "AWS SD",
            [16088],
        ),
        # `* [CHANGE] **breaking** TSDB: ...`
        (
            1152,
            "breaking TSDB: Changed WAL record format for the experimental native histograms.",
            "Breaking",
            "CHANGE",
            "TSDB",
            [11783],
        ),
        # Two numbers at the end.
        (592, 'Optimize l=~".+" matcher.', "Performance", "PERF", "General", [15474, 15684]),
        # The changelog's typos.
        (
            1962,
            "React UI: broken graph page browser history so that back button works as expected",
            "Fixed",
            "BUFGIX",
            "React UI",
            [6659],
        ),
        (
            1878,
            "Added time range parameters for label names and label values API.",
            "Changed",
            "ENHANCEMEMT",
            "General",
            [7288],
        ),
        (
            3125,
            "Remove obsolete federation example from console templates.",
            "Other",
            "CLEANUP",
            "General",
            [],
        ),
    ],
)
def test_tricky_entries(
    line: int, summary: str, kind: str, label: str, area: str, numbers: list[int]
) -> None:
    entry = entry_at(line)
    assert entry.summary == summary
    assert (entry.kind, entry.kind_label, entry.area) == (kind, label, area)
    assert [issue.number for issue in entry.issues] == numbers
    assert entry.author == "" and entry.areas == ()


def test_sub_bullets_and_other_repositories() -> None:
    # `* [FEATURE] PromQL: Add a ... #13103 NOTE: ... Added functions:` with two sub-bullets.
    entry = entry_at(953)
    assert [n for _, n, _ in refs(entry)] == [13103, 13059, 11299]
    assert "  * Experimental `sort_by_label`" not in entry.markdown  # dedented by the item's indent
    assert "* Experimental `sort_by_label` and `sort_by_label_desc`" in entry.markdown
    # `#5109 prometheus/tsdb#343`: the shorthand keeps its own repository, as an issue.
    assert refs(entry_at(2216)) == [(REPO, 5109, "pull"), ("prometheus/tsdb", 343, "issue")]


def test_without_a_repository_bare_numbers_are_no_references() -> None:
    text = FILE.read_text(encoding="utf-8")
    lines = text.split("\n")
    block = next(
        b for b in split_releases(tokenize(text), len(lines))[1] if b.title.startswith("3.13.1 ")
    )
    rel = FORMAT.parse(block, ChangelogContext(str(FILE), lines, "https://example.org", None, ""))
    assert [e.issues for e in rel.entries] == [()]
    assert rel.project == ""


def test_strip_numbers() -> None:
    assert strip_numbers("TSDB: Fix it. #1, #2") == "TSDB: Fix it."
    assert (
        strip_numbers("Main: Avoid possible segfault at exit. (#15724)")
        == "Main: Avoid possible segfault at exit."
    )
    assert strip_numbers("#13103 alone") == "#13103 alone"
    assert strip_numbers("#1") == "#1"


def test_every_block_is_detected() -> None:
    blocks = blocks_of(FILE)
    assert len(blocks) == 214
    assert all(FORMAT.detect(block) for block in blocks)


def test_tagged_bullets_are_detected_without_a_dated_heading() -> None:
    text = "## main / unreleased\n\n* [FEATURE] API: Add it. #1\n* [BUGFIX] Fix it. #2\n"
    (block,) = split_releases(tokenize(text), len(text.split("\n")))[1]
    assert FORMAT.detect(block)


@pytest.mark.parametrize("relative", OTHER_FILES)
def test_no_block_of_other_changelogs_is_detected(relative: str) -> None:
    blocks = blocks_of(CORPUS / relative)
    assert blocks
    assert not any(FORMAT.detect(block) for block in blocks)


def test_istio_seed_is_not_detected() -> None:
    assert not any(FORMAT.detect(block) for block in blocks_of(SEED))


def test_a_slash_date_heading_with_sections_is_not_prometheus() -> None:
    # npm's History.md writes `## 2.0.0 / 2024-01-01` too: with sections it is read by
    # them, and a thank-you paragraph no longer turns every later bullet into prose.
    text = (
        "# Changelog\n\n## 2.0.0 / 2024-01-01\n\nThanks to everyone who contributed!\n\n"
        "### Added\n- New feature X\n\n### Fixed\n- Fix Y\n\n## 1.9.0 / 2023-12-01\n\n"
        "* [BUGFIX] Old fix\n"
    )
    releases = parse_changelog(text, "History.md")
    found = [(r.version, e.area, e.kind, e.summary) for r in releases for e in r.entries]
    assert found == [
        ("2.0.0", "Added", "Added", "New feature X"),
        ("2.0.0", "Fixed", "Fixed", "Fix Y"),
        ("1.9.0", "General", "Fixed", "Old fix"),
    ]


NPM_HISTORY = """4.18.2 / 2022-10-08
===================

  * Fix regression routing a large stack in a single route
  * deps: body-parser@1.20.1
  * Add a new option

4.18.1 / 2022-04-29
===================

  * Fix hanging on a large stack of sync routes
"""
"""npm's History.md (Express): Prometheus's heading, plain bullets, no `[TAG]`."""


def test_the_prometheus_heading_over_plain_bullets_is_not_prometheus() -> None:
    releases = parse_changelog(NPM_HISTORY, "History.md")
    assert [(r.version, r.format) for r in releases] == [
        ("4.18.2", "generic"),
        ("4.18.1", "generic"),
    ]
    assert [e.kind for e in releases[0].entries] == ["Fixed", "Dependency", "Added"]
