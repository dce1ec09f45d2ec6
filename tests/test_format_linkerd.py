"""Linkerd's CHANGES.md (edge/stable notes): counts, areas, credits and references, by hand.

Counts come from the file: bullets at column 0, and for an area bullet (`* Proxy` over
sub-bullets) the sub-bullets instead; an independent count over the raw lines gives the
same 2,460 entries for the whole file, release by release.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from changelog_support import blocks_of, corpus_releases, read_as, row
from changelog_support import refs as full_refs
from changelog_support import release as release_in

from notes_tui.model import Entry, Release
from notes_tui.parse.formats import parse_changelog
from notes_tui.parse.linkerd import FORMAT, credits
from notes_tui.parse.markdown import links_of, tokenize

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
"""`shared/corpus/`."""
FILE = CORPUS / "other" / "linkerd2" / "CHANGES.md"
REPO = "linkerd/linkerd2"
BASE = f"https://github.com/{REPO}/blob/HEAD"
OTHER_FILES = (
    "other/textual/CHANGELOG.md",
    "other/attrs/CHANGELOG.md",
    "other/laravel-permission/CHANGELOG.md",
    "other/pydantic/HISTORY.md",
    "other/kubernetes/CHANGELOG-1.32.md",
    "other/prometheus/CHANGELOG.md",
)
"""The other changelogs of the corpus: no block of theirs is a Linkerd release."""
SEED = Path(__file__).resolve().parents[1] / "assets" / "istio-1.28.0-change-notes.md"


@cache
def parsed() -> tuple[Release, ...]:
    """Every block of the file read as Linkerd, the Conduit-era `v0.x` ones too (once per run)."""
    return read_as(FILE, FORMAT, REPO, BASE)


def release(version: str) -> Release:
    return next(r for r in parsed() if r.version == version)


def entry_at(line: int) -> Entry:
    return next(e for r in parsed() for e in r.entries if e.line == line)


def refs(entry: Entry) -> list[tuple[int, str]]:
    return [(issue.number, issue.type) for issue in entry.issues]


def test_release_and_entry_counts() -> None:
    releases = parsed()
    assert len(releases) == 295
    assert sum(len(r.entries) for r in releases) == 2460
    detected = [
        r for r, block in zip(releases, blocks_of(FILE), strict=True) if FORMAT.detect(block)
    ]
    # 274 `## edge-...`/`## stable-...` headings (`edge-19-2.4` among them), the 8 `v18.x`
    # and 10 of the 13 `v0.x` (Conduit) releases: a bare version over area bullets. The
    # flat lists of v0.1.3, v0.1.1 and v0.1.0 (13 bullets) are left to the generic reader,
    # which reads them alike.
    assert len(detected) == 292
    assert sum(len(r.entries) for r in detected) == 2447
    assert {r.format for r in releases} == {"linkerd"}
    assert {r.date for r in releases} == {None}
    assert releases[0].version == "edge-24.2.5"


def test_newest_edge_releases() -> None:
    assert [(e.line, e.kind, e.kind_label) for e in release("edge-24.2.5").entries] == [
        (11, "Changed", "Migrated")
    ]
    assert [(e.line, e.kind, refs(e)) for e in release("edge-24.2.4").entries] == [
        (16, "Changed", [(12098, "pull")]),
        (18, "Changed", [(12099, "pull")]),
    ]
    assert [(e.line, e.kind, e.author, refs(e)) for e in release("edge-24.2.3").entries] == [
        (26, "Changed", "@mikebell90", [(12028, "pull")]),
        (28, "Added", "", [(12079, "pull")]),
        (30, "Fixed", "", [(12059, "pull")]),
        (32, "Fixed", "", [(12088, "pull")]),
    ]
    # Prose only.
    quiet = release("edge-24.1.2")
    assert quiet.entries == ()
    assert quiet.prose.startswith("This edge release incrementally improves support")


def test_reference_links_and_credits() -> None:
    entry = entry_at(51)
    assert entry.summary == (
        "Introduced Helm configuration values for liveness and readiness probe timeouts and delays"
    )
    assert (entry.kind, entry.kind_label, entry.area) == ("Added", "Introduced", "General")
    assert entry.author == "@jan-kantert"
    # `([#11458]; fixes [#11453])`: the definitions after the release say pull and issue.
    assert refs(entry) == [(11458, "pull"), (11453, "issue")]
    assert entry.markdown == (
        "Introduced Helm configuration values for liveness and readiness probe\n"
        "timeouts and delays ([#11458]; fixes [#11453]) (thanks @jan-kantert!)\n\n"
        "[#11458]: https://github.com/linkerd/linkerd2/pull/11458\n"
        "[#11453]: https://github.com/linkerd/linkerd2/issues/11453"
    )
    # The Markdown reads alone: the detail pane finds the same links.
    assert links_of(tokenize(entry.markdown), BASE) == list(entry.links)


def test_bare_number_is_an_issue_of_the_repository() -> None:
    entry = entry_at(88)
    assert entry.summary == (
        "Updated the Destination controller to return INVALID_ARGUMENT status codes properly "
        "when a ServiceProfile is requested for a service that does not exist."
    )
    assert [(i.repo, i.number, i.type) for i in entry.issues] == [(REPO, 11980, "issue")]


def test_stable_release_areas() -> None:
    stable = release("stable-2.14.0")
    assert [(s.title, len(s.entries)) for s in stable.sections] == [
        ("Multicluster", 6),
        ("HTTPRoute", 6),
        ("CRDs", 1),
        ("Control Plane", 3),
        ("Proxy", 5),
        ("CLI", 2),
        ("Viz", 7),
        ("Extensions", 2),
        ("Init Containers", 1),
        ("CNI", 2),
        ("Build", 1),
    ]
    assert Counter(e.kind for e in stable.entries) == Counter(
        Added=18, Fixed=9, Other=5, Changed=3, Removed=1
    )
    # The introduction and the 20 contributors after "A special thank-you ... possible:".
    assert stable.prose.startswith("This release introduces direct pod-to-pod multicluster")
    assert "* Amir Karimi @AMK9978" in stable.prose
    assert "* pssalman @pssalman" in stable.prose
    assert all("@AMK9978" not in e.text for e in stable.entries)


@pytest.mark.parametrize(
    ("line", "summary", "kind", "area", "author"),
    [
        # `(thanks\n    @hiteshwani29)` across a line break.
        (
            537,
            "Added -o json flag for the linkerd multicluster gateways command",
            "Added",
            "Multicluster",
            "@hiteshwani29",
        ),
        # `Thanks @mikutas!!` after the sentence; "A fix" names no kind.
        (
            575,
            "A fix for HA validation checks when Linkerd is installed with Helm.",
            "Other",
            "CLI",
            "@mikutas",
        ),
        # `(also @Pothulapati!)`.
        (6936, 'Added the "ep" alias for the endpoints command', "Added", "CLI", "@Pothulapati"),
        # Old bold leads: `**New**`, `**Fix**`.
        (7605, "New edge and stable release channels", "Added", "General", ""),
        (
            7614,
            "Fix hyper crate dependency corrects HTTP/1.0 Keep-Alive behavior",
            "Fixed",
            "Proxy",
            "",
        ),
        # `Bumped` is a dependency update in the shared vocabulary.
        (
            6945,
            "Bumped Prometheus to version 2.7.1 and Grafana to version 5.4.3",
            "Dependency",
            "Controller",
            "",
        ),
    ],
)
def test_tricky_entries(line: int, summary: str, kind: str, area: str, author: str) -> None:
    entry = entry_at(line)
    assert (entry.summary, entry.kind, entry.area, entry.author) == (summary, kind, area, author)


def test_misspelt_heading_and_areas() -> None:
    old = release("edge-19-2.4")
    assert [(s.title, len(s.entries)) for s in old.sections] == [
        ("CLI", 9),
        ("Controller", 4),
        ("Web UI", 2),
        ("Internals", 5),
    ]
    assert Counter(e.kind for e in old.entries) == Counter(
        Added=9, Changed=7, Fixed=3, Dependency=1
    )
    # Sub-bullets lose the item's indent.
    assert entry_at(6924).markdown == (
        "Implemented `--proxy-cpu-limit` and `--proxy-memory-limit` for setting the\n"
        "proxy resources limits (`--proxy-cpu` and `--proxy-memory` were deprecated\n"
        "in favor of `proxy-cpu-request` and `proxy-memory-request`) (thanks\n"
        "@TwinProduction!)"
    )


def test_conduit_release_labels_and_full_references() -> None:
    conduit = release("v0.3.0")
    assert [(s.title, len(s.entries)) for s in conduit.sections] == [
        ("CLI", 4),
        ("Web UI", 3),
        ("Conduit proxy (data plane)", 3),
        ("Telemetry system", 2),
        ("Build improvements", 2),
        ("Known Issues", 2),
    ]
    assert refs(entry_at(8040)) == [(62, "issue"), (155, "issue"), (392, "issue")]
    # `See [the docs][auto-tls]` with `[auto-tls]: docs/automatic-tls.md` after the release.
    tls = entry_at(7770)
    assert tls.markdown.endswith("\n\n[auto-tls]: docs/automatic-tls.md")
    assert [link.url for link in tls.links] == [f"{BASE}/docs/automatic-tls.md"]


def test_full_release_notes_label_names_no_area() -> None:
    # stable-2.4.0: `**Full release notes**:` then area bullets; two feature bullets before.
    areas = [s.title for s in release("stable-2.4.0").sections]
    assert areas == ["General", "CLI", "Controller", "Proxy", "Web UI", "Internal"]


def test_credits() -> None:
    assert credits("Fixed it (thanks @a-b!)") == ("@a-b",)
    assert credits("Thanks to @x and @y for the tests!") == ("@x", "@y")
    assert credits("Mentions @z without thanks") == ()


def test_every_edge_and_stable_block_is_detected() -> None:
    blocks = blocks_of(FILE)
    assert len(blocks) == 295
    undetected = [b.title for b in blocks if not FORMAT.detect(b)]
    assert undetected == ["v0.1.3", "v0.1.1", "v0.1.0"]


@pytest.mark.parametrize("relative", OTHER_FILES)
def test_no_block_of_other_changelogs_is_detected(relative: str) -> None:
    blocks = blocks_of(CORPUS / relative)
    assert blocks
    assert not any(FORMAT.detect(block) for block in blocks)


def test_istio_seed_is_not_detected() -> None:
    assert not any(FORMAT.detect(block) for block in blocks_of(SEED))


def test_pre_channel_releases_are_read_as_linkerd() -> None:
    """`## v18.9.1` ... `## v0.1.2`: area bullets over `**New**`/`**Fixed**` items, as later.

    The generic reader made each area bullet one entry (`Web UI`, kind Other): 81 entries
    in these 21 blocks, 2,378 in the file. Read as Linkerd: 163 and 2,460.
    """
    releases = corpus_releases("linkerd2/CHANGES.md")
    assert Counter(r.format for r in releases) == Counter(linkerd=292, generic=3)
    assert sum(len(r.entries) for r in releases) == 2460
    pre_channel = [r for r in releases if r.version.startswith("v")]
    assert len(pre_channel) == 21
    assert sum(len(r.entries) for r in pre_channel) == 163
    # Lines 7616-7642: Web UI (New, New, Improved, Misc), CLI (New x3), Control Plane.
    newest = release_in(releases, "v18.9.1")
    assert [(s.title, len(s.entries)) for s in newest.sections] == [
        ("Web UI", 4),
        ("CLI", 3),
        ("Control Plane", 1),
    ]
    assert Counter(e.kind for e in newest.entries) == Counter(Added=5, Changed=2, Other=1)
    assert [row(e) for e in release_in(releases, "v0.4.1").entries][2] == (
        7897,
        "Breaking",
        "Breaking",  # `**Breaking change**`: the label is the leading word
        "Command-line interface",
        "",
        [],
    )
    # `(PR #482 by @hypnoglow)`: Conduit's numbers live on in linkerd/linkerd2.
    assert [full_refs(e) for e in release_in(releases, "v0.3.1").entries][4:6] == [
        ["linkerd/linkerd2#482"],
        ["linkerd/linkerd2#460"],
    ]
    # The upgrade advice under `### Upgrading from v0.4.1` stays in the release's prose.
    assert "### Upgrading from v0.4.1" in release_in(releases, "v0.4.2").prose
    # A flat list (v0.1.1): five entries either way, left to the generic reader.
    flat = release_in(releases, "v0.1.1")
    assert (flat.format, len(flat.entries)) == ("generic", 5)


@pytest.mark.parametrize(
    ("text", "detected"),
    [
        ("## v18.8.4\n\n* Web UI\n  * **Fixed** Missing sidebar headings\n", True),
        ("## 0.4.0\n\nIntro.\n\n* Proxy (data plane)\n  * A\n* CLI\n  * B\n", True),
        # A heading first: sections (Keep a Changelog, GitHub), not area bullets.
        ("## v1.2.0\n\n### Added\n\n* Web UI\n  * A widget\n", False),
        # A plain entry among the bullets: the list is entries.
        ("## v1.2.0\n\n* Fixed a crash.\n* Web UI\n  * A widget\n", False),
        ("## v1.2.0\n\n* Fixed a crash.\n", False),
        # More than the version in the heading: other formats' releases.
        ("## [1.2.0] - 2024-01-01\n\n* Web UI\n  * A widget\n", False),
        ("## v1.2.0 (2024-01-01)\n\n* Web UI\n  * A widget\n", False),
    ],
)
def test_bare_version_detection(text: str, detected: bool, tmp_path: Path) -> None:
    path = tmp_path / "CHANGES.md"
    path.write_text(text, encoding="utf-8")
    (block,) = blocks_of(path)
    assert FORMAT.detect(block) is detected


def test_a_bare_version_over_changes_with_details_is_not_linkerd() -> None:
    # `Fix crash on startup` over its details is a change, not an area: its details were
    # read as entries of an area named after it.
    text = (
        "# Changelog\n\n## v1.2.3\n\n- Fix crash on startup\n"
        "  - happened when the config file was missing\n- Add dark mode\n  - with --dark\n"
    )
    releases = parse_changelog(text, "CHANGELOG.md")
    found = [(e.area, e.summary, e.line) for r in releases for e in r.entries]
    assert found == [
        ("Changes", "Fix crash on startup", 5),
        ("Changes", "Add dark mode", 7),
    ]
