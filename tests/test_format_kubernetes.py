"""Kubernetes release notes (krel), on CHANGELOG-1.32.md: counts, kinds, trailers, GA repeats.

Every number here was counted in the file itself (bullets per `##`/`###` heading of each
`# v1.32.x`), not taken from the parser's output.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from changelog_support import blocks_of, read_as

from notes_tui.model import Entry, Release
from notes_tui.parse import kubernetes
from notes_tui.parse.kubernetes import FORMAT, ga_repeats, is_ga_repeat
from notes_tui.parse.kubernetes_walk import split_sigs

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
"""`shared/corpus/`."""
FILE = CORPUS / "other" / "kubernetes" / "CHANGELOG-1.32.md"
REPO = "kubernetes/kubernetes"
OTHER_FILES = (
    "other/textual/CHANGELOG.md",
    "other/attrs/CHANGELOG.md",
    "other/laravel-permission/CHANGELOG.md",
    "other/pydantic/HISTORY.md",
    "other/prometheus/CHANGELOG.md",
    "other/linkerd2/CHANGES.md",
)
"""The other changelogs of the corpus: no block of theirs is Kubernetes notes."""
SEED = Path(__file__).resolve().parents[1] / "assets" / "istio-1.28.0-change-notes.md"


@cache
def parsed() -> tuple[Release, ...]:
    """The file, every block read as Kubernetes notes (once per run)."""
    return read_as(FILE, FORMAT, REPO, f"https://github.com/{REPO}/blob/HEAD")


def release(version: str) -> Release:
    return next(r for r in parsed() if r.version == version)


def entry_at(line: int) -> Entry:
    return next(e for r in parsed() for e in r.entries if e.line == line)


def pulls(entry: Entry) -> list[int]:
    return [issue.number for issue in entry.issues if issue.type == "pull"]


def test_releases() -> None:
    versions = [r.version for r in parsed()]
    assert versions == [
        *(f"v1.32.{n}" for n in range(8, -1, -1)),
        "v1.32.0-rc.2",
        "v1.32.0-rc.1",
        "v1.32.0-rc.0",
        "v1.32.0-beta.0",
        "v1.32.0-alpha.3",
        "v1.32.0-alpha.2",
        "v1.32.0-alpha.1",
    ]
    first = parsed()[0]
    assert (first.title, first.date, first.doc_kind) == ("v1.32.8", None, "changelog")
    assert (first.project, first.format, first.source) == (REPO, "kubernetes", str(FILE))


def test_entry_counts_per_release() -> None:
    # Top-level bullets under `## Changes by Kind`, `## Urgent Upgrade Notes` and
    # `## Dependencies`, plus one entry per `### CVE-...` of `## Important Security
    # Information` (v1.32.8, .6, .2, .1).
    counts = {r.version: len(r.entries) for r in parsed()}
    assert counts == {
        "v1.32.8": 1 + 2,
        "v1.32.7": 3,
        "v1.32.6": 1 + 8 + 1,
        "v1.32.5": 4,
        "v1.32.4": 3,
        "v1.32.3": 12 + 1,
        "v1.32.2": 1 + 7,
        "v1.32.1": 1 + 7,
        "v1.32.0": 291 + 313,
        "v1.32.0-rc.2": 2,
        "v1.32.0-rc.1": 0,
        "v1.32.0-rc.0": 51 + 8,
        "v1.32.0-beta.0": 1 + 33 + 22,
        "v1.32.0-alpha.3": 41 + 4,
        "v1.32.0-alpha.2": 40 + 78,
        "v1.32.0-alpha.1": 127 + 303,
    }
    assert sum(counts.values()) == 1366


def test_kinds_of_the_ga_release() -> None:
    ga = release("v1.32.0")
    # API Change 45 (one opens with **ACTION REQUIRED**: Breaking), Feature 87, Bug or
    # Regression 81 + Failing Test 1, Other (Cleanup or Flake) 69, Documentation 6,
    # Deprecation 2, Dependencies 23 + 188 + 102.
    assert Counter(e.kind for e in ga.entries) == Counter(
        Dependency=313, Added=87, Fixed=82, Other=69, Changed=44, Docs=6, Deprecated=2, Breaking=1
    )
    assert Counter(e.kind_label for e in ga.entries)["API Change"] == 45
    assert Counter(e.kind_label for e in ga.entries)["Failing Test"] == 1
    # 65 trailers of v1.32.0 name no SIG (`([#N](...), [@user](...))` and nothing after).
    assert sum(e.area == "General" for e in ga.entries) == 65


def test_kinds_of_beta_0() -> None:
    beta = release("v1.32.0-beta.0")
    assert Counter(e.kind for e in beta.entries) == Counter(
        Dependency=22, Added=15, Fixed=9, Changed=6, Other=2, Deprecated=1, Breaking=1
    )
    assert Counter(e.kind_label for e in beta.entries if e.kind == "Dependency") == Counter(
        Changed=12, Removed=8, Added=2
    )


def test_patch_release_rows() -> None:
    rows = [
        (e.line, e.kind, e.kind_label, e.area, e.author, pulls(e), e.cves)
        for e in release("v1.32.8").entries
    ]
    assert rows == [
        (346, "Security", "CVE", "Security", "", [], ("CVE-2025-5187",)),
        (370, "Added", "Feature", "SIG Release", "@cpanato", [132898], ()),
        (374, "Fixed", "Bug or Regression", "SIG Auth", "@natherz97", [133469], ()),
    ]
    assert [s.title for s in release("v1.32.8").sections] == ["Security", "SIG Release", "SIG Auth"]
    assert [(e.line, e.kind, pulls(e)) for e in release("v1.32.0-rc.2").entries] == [
        (1971, "Changed", [129081]),
        (1975, "Fixed", [129083]),
    ]


def test_sections_are_areas() -> None:
    for rel in parsed():
        for section in rel.sections:
            assert {e.area_key for e in section.entries} == {section.key}
    ga = release("v1.32.0")
    assert ga.sections[-1].title == "Dependencies"
    assert len(ga.sections[-1].entries) == 313


def test_trailer_gives_issue_author_and_sigs() -> None:
    entry = entry_at(1200)
    assert entry.summary == (
        "ServiceAccount metadata.annotations[kubernetes.io/enforce-mountable-secrets]: "
        "deprecated since v1.32; no removal deadline."
    )
    assert (entry.kind, entry.kind_label, entry.author) == ("Deprecated", "Deprecation", "@ritazh")
    assert entry.area == "SIG API Machinery"
    assert entry.areas == (
        "SIG API Machinery",
        "SIG Apps",
        "SIG Auth",
        "SIG CLI",
        "SIG Testing",
    )
    assert [(i.repo, i.number, i.type) for i in entry.issues] == [(REPO, 128396, "pull")]
    assert "[SIG" not in entry.summary and "#128396" not in entry.summary
    # One SIG: `area` only.
    single = entry_at(374)
    assert (single.area, single.areas) == ("SIG Auth", ())


def test_odd_trailer_and_lower_case_sigs() -> None:
    # `([#129083](...) [liggitt](...)) [SIG API Machinery, architecture, ..., windows ]`
    entry = entry_at(1575)
    assert entry.summary == (
        "kubelet: fixed an issue mounting CSI volumes on Windows nodes in 1.32.0 release "
        "candidates."
    )
    assert (entry.kind, entry.kind_label) == ("Other", "Other (Cleanup or Flake)")
    assert entry.author == "@liggitt"
    assert entry.areas == (
        "SIG API Machinery",
        "SIG Architecture",
        "SIG Auth",
        "SIG CLI",
        "SIG Cloud Provider",
        "SIG Cluster Lifecycle",
        "SIG Instrumentation",
        "SIG Network",
        "SIG Node",
        "SIG Release",
        "SIG Storage",
        "SIG Windows",
    )


def test_entry_without_sig() -> None:
    entry = entry_at(1233)
    assert entry.summary == (
        "Annotation batch.kubernetes.io/cronjob-scheduled-timestamp added to Job objects "
        "scheduled from CronJobs is promoted to stable."
    )
    assert (entry.area, entry.areas, entry.author) == ("General", (), "@soltysh")
    assert (entry.kind, entry.kind_label, pulls(entry)) == ("Changed", "API Change", [128336])


def test_urgent_note_with_a_shallow_continuation() -> None:
    # ` - Fix the bug ...` then a paragraph indented by two (not three) spaces after a blank
    # line: CommonMark ends the item; the paragraph, which holds the trailer, continues it.
    entry = entry_at(2311)
    assert entry.summary == "Fix the bug of InPlacePodVerticalScaling state un-marshalling."
    assert (entry.kind, entry.kind_label) == ("Breaking", "Urgent Upgrade Notes")
    assert (entry.area, entry.author, pulls(entry)) == ("SIG Node", "@yunwang0911", [126620])
    assert "Since the checkpoint format was changed" in entry.markdown
    assert entry.markdown.rstrip().endswith("[SIG Node]")


def test_action_required_is_breaking() -> None:
    entry = entry_at(1204)
    assert (entry.kind, entry.kind_label, entry.area) == (
        "Breaking",
        "API Change",
        "SIG Scheduling",
    )
    assert entry.summary.startswith("ACTION REQUIRED for custom scheduler plugin developers:")


def test_trailer_in_a_nested_list_and_issue_in_text() -> None:
    # `- 1. When the kubelet ...` / `  2. Fixed ... ([#126806](...), [@carlory](...)) [SIG ...]`
    nested = entry_at(1404)
    assert nested.summary.startswith("When the kubelet constructs the CRI mounts")
    assert (nested.area, nested.areas, nested.author) == (
        "SIG Node",
        ("SIG Node", "SIG Storage"),
        "@carlory",
    )
    # "Refer to https://github.com/kubernetes/kubernetes/issues/129935 for more details."
    entry = entry_at(982)
    assert [(i.number, i.type) for i in entry.issues] == [(129935, "issue"), (130015, "pull")]
    assert entry.summary.endswith('"failed to get service accoount token attributes" errors.')


def test_cve_and_dependency_entries() -> None:
    cve = entry_at(346)
    assert cve.summary == "CVE-2025-5187: Nodes can delete themselves by adding an OwnerReference"
    assert cve.markdown.startswith("### CVE-2025-5187")
    assert "**CVSS Rating:** Medium (6.7)" in cve.markdown
    dependency = entry_at(1606)
    assert (dependency.summary, dependency.kind, dependency.kind_label, dependency.area) == (
        "cel.dev/expr: v0.15.0 → v0.18.0",
        "Dependency",
        "Changed",
        "Dependencies",
    )


def test_prose_keeps_no_download_tables() -> None:
    ga = release("v1.32.0")
    assert ga.prose == (
        "[Documentation](https://docs.k8s.io)\n\n## Changelog since v1.31.0\n\n"
        "There are no urgent upgrade notes for the v1.32 release."
    )
    assert all(
        "sha512" not in r.prose and "_Nothing has changed._" not in r.prose for r in parsed()
    )


def test_ga_repeats() -> None:
    releases = parsed()
    repeats = ga_repeats(releases)
    # v1.32.0 lists 291 changes; three of them (#126957, #129103, #127650) appear in no
    # pre-release (each PR number occurs once in the file); the other 288 do.
    assert len(repeats) == 288
    assert {version for version, _ in repeats} == {"v1.32.0"}
    assert not {126957, 129103, 127650} & {number for _, number in repeats}
    assert is_ga_repeat(entry_at(1200), repeats)  # also beta.0, line 2319
    assert not is_ga_repeat(entry_at(2319), repeats)  # the pre-release keeps its entry
    ga = release("v1.32.0")
    kept = [e for e in ga.entries if not is_ga_repeat(e, repeats)]
    assert len(kept) == 3 + 313  # dependency bumps carry no PR
    # Without pre-releases nothing repeats; with rc.0 and rc.2 only, their 51 + 2 do.
    assert ga_repeats([r for r in releases if "-" not in r.version]) == set()
    subset = [r for r in releases if r.version in {"v1.32.0", "v1.32.0-rc.2", "v1.32.0-rc.0"}]
    assert len(ga_repeats(subset)) == 53


def test_split_sigs() -> None:
    assert split_sigs("Node") == ("SIG Node",)
    assert split_sigs("Release and Testing") == ("SIG Release", "SIG Testing")
    assert split_sigs("Node, Scheduling, and Testing") == (
        "SIG Node",
        "SIG Scheduling",
        "SIG Testing",
    )
    assert split_sigs(" cli, cloud-provider,network ") == (
        "SIG CLI",
        "SIG Cloud Provider",
        "SIG Network",
    )


def test_every_block_is_detected() -> None:
    blocks = blocks_of(FILE)
    assert len(blocks) == 16
    assert all(FORMAT.detect(block) for block in blocks)


@pytest.mark.parametrize("relative", OTHER_FILES)
def test_no_block_of_other_changelogs_is_detected(relative: str) -> None:
    blocks = blocks_of(CORPUS / relative)
    assert blocks
    assert not any(FORMAT.detect(block) for block in blocks)


def test_istio_seed_is_not_detected() -> None:
    assert not any(FORMAT.detect(block) for block in blocks_of(SEED))


def test_format_object() -> None:
    assert kubernetes.FORMAT.name == "kubernetes"
    assert kubernetes.FORMAT.description
