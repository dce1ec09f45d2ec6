"""Every Istio page of the shared corpus parses; a sample from every era is pinned, counted by hand.

The expected numbers below were counted by reading each file against the parser's rules
(top-level bullets under a heading are entries; column-0 paragraphs and plain bullets after a
`**Verb**` entry continue it; HTML comments are dropped; a prose-only heading of upgrade notes is
one entry; only CVE bullets are entries of a security bulletin), not copied from the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from notes_tui.model import Entry, Release
from notes_tui.parse import parse_text

ISTIO_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "istio"
"""`shared/corpus/istio/`, beside the repository (computed here too: parametrising needs it)."""
CORPUS_FILES = sorted(ISTIO_DIR.rglob("*.md"))
"""Every Markdown page of the Istio corpus."""
SHORTCODE_OPENERS = ("{{<", "{{%")
"""What a Hugo shortcode left in the text would start with."""


@pytest.fixture(scope="module")
def parsed_corpus(istio_corpus: Path) -> dict[str, Release | Exception]:
    """Every page parsed once: its release, or the exception that stopped it."""
    results: dict[str, Release | Exception] = {}
    for path in CORPUS_FILES:
        name = path.relative_to(istio_corpus).as_posix()
        try:
            (results[name],) = parse_text(path.read_text(encoding="utf-8"), str(path))
        except Exception as error:  # reported per file by test_every_page_parses
            results[name] = error
    return results


def release_of(parsed_corpus: dict[str, Release | Exception], name: str) -> Release:
    """The parsed release of one page, failing clearly when it did not parse."""
    result = parsed_corpus[name]
    if isinstance(result, Exception):
        pytest.fail(f"{name} did not parse: {result!r}")
    return result


def entry_at(release: Release, line: int) -> Entry:
    """The entry that starts on a given source line."""
    found = [entry for entry in release.entries if entry.line == line]
    assert found, f"no entry starts on line {line}: {[e.line for e in release.entries]}"
    return found[0]


def test_corpus_is_complete() -> None:
    assert ISTIO_DIR.is_dir(), f"{ISTIO_DIR} is missing"
    assert len(CORPUS_FILES) == 399


@pytest.mark.parametrize("name", [path.relative_to(ISTIO_DIR).as_posix() for path in CORPUS_FILES])
def test_every_page_parses(parsed_corpus: dict[str, Release | Exception], name: str) -> None:
    release = release_of(parsed_corpus, name)
    for entry in release.entries:
        for opener in SHORTCODE_OPENERS:
            assert opener not in entry.summary, f"{name}:{entry.line}: shortcode in summary"
            assert opener not in entry.markdown, f"{name}:{entry.line}: shortcode in markdown"
        assert entry.summary, f"{name}:{entry.line}: empty summary"
        assert all(link.url and not link.url.startswith("/") for link in entry.links)


@dataclass(frozen=True)
class Expected:
    """What one page must parse to, counted by hand."""

    name: str
    """The path under `shared/corpus/istio/`."""
    doc_kind: str
    """The document kind."""
    version: str
    """The release version."""
    entries: int
    """How many entries."""
    issues: int
    """The sum of the entries' issue references."""
    areas: tuple[tuple[str, int], ...] | None = None
    """Top-level sections and their entry counts (sub-sections included), when pinned."""


SAMPLE = [
    # 0.x: an announcement; "General" is prose, the wiki link is no issue.
    Expected(
        "releases/0.x/announcing-0.3/index.md", "announcement", "0.3.0", 6, 0,
        (("General", 0), ("Security", 2), ("Networking", 1),
         ("Policy enforcement and telemetry", 3)),
    ),
    # 1.0.x: plain-verb bullets ("- Fix ...", "- Make ...") are siblings, not sub-bullets.
    Expected(
        "releases/1.0.x/announcing-1.0.6/index.md", "patch-notes", "1.0.6", 6, 4,
        (("Bug fixes", 3), ("Small enhancements", 3)),
    ),
    # 1.1 change notes: "### Security" and "### Configuration management" are sub-sections.
    Expected(
        "releases/1.1.x/announcing-1.1/change-notes/index.md", "change-notes", "1.1", 36, 1,
        (("Incompatible changes from 1.0", 0), ("Upgrades", 0), ("Installation", 3),
         ("Traffic management", 9 + 8), ("Policies and telemetry", 10 + 2),
         ("istioctl and kubectl", 4)),
    ),
    # 1.5 upgrade notes: prose headings are one entry each, bullets without prose are entries.
    Expected(
        "releases/1.5.x/announcing-1.5/upgrade-notes/index.md", "upgrade-notes", "1.5", 25, 7,
        (("Control Plane Restructuring", 1 + 7 + 3), ("Mixer deprecation", 1 + 5),
         ("Traffic management resource visibility changes", 1), ("Authentication policy", 1),
         ("Istio workload key and certificate provisioning", 2), ("Automatic mutual TLS", 1),
         ("Control plane security", 1), ("Multicluster setup", 1), ("Helm upgrade", 1)),
    ),
    # 1.6 change notes: every entry opens with ***Added***-style bold italics.
    Expected(
        "releases/1.6.x/announcing-1.6/change-notes/index.md", "change-notes", "1.6", 38, 7,
        (("Traffic Management", 11), ("Security", 3), ("Telemetry", 7), ("Installation", 13),
         ("istioctl", 3), ("Documentation changes", 1)),
    ),
    # 1.8 change notes: an HTML comment hides one Traffic Management entry.
    Expected(
        "releases/1.8.x/announcing-1.8/change-notes/index.md", "change-notes", "1.8", 59, 52,
        (("Known Issues", 3), ("Traffic Management", 8), ("Security", 10), ("Telemetry", 11),
         ("Installation", 16), ("istioctl", 10), ("Documentation", 1)),
    ),
    # 1.9.6 patch notes: a __[CVE-...]__ bullet with a nested CVSS bullet.
    Expected(
        "releases/1.9.x/announcing-1.9.6/index.md", "patch-notes", "1.9.6", 3, 1,
        (("Security update", 1), ("Changes", 2)),
    ),
    # `release: 1.10` must stay "1.10".
    Expected(
        "releases/1.10.x/announcing-1.10/change-notes/index.md", "change-notes", "1.10", 50, 38,
        (("Deprecation Notices", 3), ("Traffic Management", 16), ("Security", 8),
         ("Telemetry", 3), ("Extensibility", 1), ("Installation", 10), ("istioctl", 9)),
    ),
    # 1.14.3: "# Security update" is a level-1 heading after a level-2 one.
    Expected(
        "releases/1.14.x/announcing-1.14.3/index.md", "patch-notes", "1.14.3", 3, 1,
        (("Changes", 2), ("Security update", 1)),
    ),
    # 1.17.3: the front-matter keys are indented by one space.
    Expected(
        "releases/1.17.x/announcing-1.17.3/index.md", "patch-notes", "1.17.3", 11, 12,
        (("Changes", 11),),
    ),
    # 1.27 change notes: the pqc entry has column-0 sub-bullets; istioctl repeats six entries.
    Expected(
        "releases/1.27.x/announcing-1.27/change-notes/index.md", "change-notes", "1.27.0", 75, 50,
        (("Traffic Management", 24), ("Security", 9), ("Telemetry", 3), ("Extensibility", 1),
         ("Installation", 20), ("istioctl", 18)),
    ),
    # 1.29 change notes: column-0 paragraphs after a blank line continue their entry.
    Expected(
        "releases/1.29.x/announcing-1.29/change-notes/index.md", "change-notes", "1.29.0", 56, 28,
        (("Traffic Management", 22), ("Security", 11), ("Telemetry", 7), ("Installation", 11),
         ("istioctl", 5)),
    ),
    # 1.31 change notes: the largest page; a {{< text yaml >}} block inside an entry.
    Expected(
        "releases/1.31.x/announcing-1.31/change-notes/index.md", "change-notes", "1.31.0", 118,
        69,
        (("Traffic Management", 83), ("Security", 11), ("Telemetry", 7), ("Extensibility", 2),
         ("Installation", 9), ("istioctl", 6), ("Documentation changes", 0)),
    ),
    # A bulletin with five CVE bullets; "Am I Impacted?" is prose.
    Expected(
        "security/istio-security-2024-006/index.md", "security-bulletin",
        "ISTIO-SECURITY-2024-006", 5, 0, (("CVE", 5), ("Am I Impacted?", 0)),
    ),
    # An old bulletin without CVE bullets: the whole page is one entry.
    Expected(
        "security/istio-security-2019-001/index.md", "security-bulletin",
        "ISTIO-SECURITY-2019-001", 1, 1, (("Security Bulletin", 1),),
    ),
    # A section index stub: front matter only.
    Expected("releases/1.10.x/_index.md", "index", "1.10", 0, 0, ()),
]  # fmt: skip


@pytest.mark.parametrize("expected", SAMPLE, ids=[item.name for item in SAMPLE])
def test_sample_counted_by_hand(
    parsed_corpus: dict[str, Release | Exception], expected: Expected
) -> None:
    release = release_of(parsed_corpus, expected.name)
    assert release.doc_kind == expected.doc_kind
    assert release.version == expected.version
    assert len(release.entries) == expected.entries
    assert sum(len(entry.issues) for entry in release.entries) == expected.issues
    if expected.areas is not None:
        found = tuple((section.title, len(section.all_entries())) for section in release.sections)
        assert found == expected.areas
    assert all(entry.doc_kind == expected.doc_kind for entry in release.entries)
    assert all(entry.release == expected.version for entry in release.entries)


def test_sibling_plain_bullets_are_entries(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.0.x/announcing-1.0.6/index.md")
    assert [(entry.line, entry.kind) for entry in release.entries] == [
        (21, "Fixed"), (22, "Other"), (23, "Other"), (27, "Other"), (28, "Other"), (29, "Added"),
    ]  # fmt: skip
    assert [ref.number for ref in entry_at(release, 22).issues] == [13892]


def test_sub_sections_keep_the_area_of_their_heading(
    parsed_corpus: dict[str, Release | Exception],
) -> None:
    release = release_of(parsed_corpus, "releases/1.1.x/announcing-1.1/change-notes/index.md")
    traffic = release.sections[3]
    assert [sub.title for sub in traffic.subsections] == ["Security"]
    assert len(traffic.entries) == 9
    assert len(traffic.subsections[0].entries) == 8
    assert entry_at(release, 100).summary.startswith("Readiness and Liveness Probes.")
    assert [ref.number for ref in entry_at(release, 136).issues] == [9066]


def test_upgrade_note_headings_are_entries(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.5.x/announcing-1.5/upgrade-notes/index.md")
    mixer = entry_at(release, 55)
    assert (mixer.kind, mixer.kind_label, mixer.summary) == (
        "Breaking",
        "Upgrade note",
        "Mixer deprecation",
    )
    assert "Telemetry V2" in mixer.text
    visibility = entry_at(release, 76)
    assert (visibility.kind, visibility.kind_label) == ("Breaking", "Upgrade note")
    assert [(ref.number, ref.type) for ref in visibility.issues] == [
        (24251, "issue"),
        (20408, "pull"),
    ]
    # A list after the section's prose belongs to the heading's entry.
    authentication = entry_at(release, 91)
    assert "kubectl delete meshpolicies.authentication.istio.io --all" in authentication.markdown
    assert "```bash" in authentication.markdown
    galley = [entry for entry in release.entries if 31 <= entry.line <= 33]
    assert [entry.kind for entry in galley] == ["Other"] * 3


def test_bold_italic_kinds(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.6.x/announcing-1.6/change-notes/index.md")
    first = release.entries[0]
    assert (first.line, first.kind, first.kind_label) == (13, "Added", "Added")
    assert (first.issues[0].number, first.issues[0].type) == (22118, "pull")
    assert entry_at(release, 18).kind == "Changed"
    assert entry_at(release, 21).kind == "Removed"


def test_html_comment_hides_an_entry(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.8.x/announcing-1.8/change-notes/index.md")
    assert not [entry for entry in release.entries if "25744" in entry.markdown]
    assert not [entry for entry in release.entries if "k8s.v1.cni.cncf.io" in entry.text]
    traffic = [entry.line for entry in release.entries if entry.area == "Traffic Management"]
    assert traffic == [21, 28, 30, 40, 42, 45, 48, 51]
    # The warning shortcode's paragraphs continue the entry above them.
    assert "DO NOT USE the remoteIpBlocks field" in entry_at(release, 93).text
    # Issues in other repositories keep their repository.
    assert entry_at(release, 15).issues[0].repo == "envoyproxy/envoy"
    assert entry_at(release, 128).issues[0].repo == "istio/proxy"


def test_cve_bullet_of_patch_notes(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.9.x/announcing-1.9.6/index.md")
    cve = release.entries[0]
    assert (cve.line, cve.kind, cve.cves) == (19, "Security", ("CVE-2021-34824",))
    assert "CVSS Score" in cve.markdown
    assert [entry.kind for entry in release.entries] == ["Security", "Fixed", "Fixed"]


def test_level_one_heading_is_an_area(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.14.x/announcing-1.14.3/index.md")
    fix = entry_at(release, 28)
    assert (fix.area, fix.kind, fix.cves) == ("Security update", "Fixed", ("CVE-2022-31045",))
    assert [link.url for link in fix.links] == [
        "https://istio.io/latest/news/security/istio-security-2022-005/#cve-2022-31045"
    ]


def test_indented_front_matter(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.17.x/announcing-1.17.3/index.md")
    assert release.title == "Announcing Istio 1.17.3"
    assert release.date == "2023-06-06"
    assert release.front_matter["subtitle"] == "Patch Release"
    assert release.warnings == ()
    assert entry_at(release, 16).kind == "Added"


def test_minor_version_stays_a_string(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.10.x/announcing-1.10/change-notes/index.md")
    assert release.front_matter["release"] == "1.10"
    assert {entry.release for entry in release.entries} == {"1.10"}
    # "**Update**" names the same kind as "**Updated**".
    assert (entry_at(release, 95).kind, entry_at(release, 95).kind_label) == ("Changed", "Update")


def test_column_zero_sub_bullets(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.27.x/announcing-1.27/change-notes/index.md")
    pqc = entry_at(release, 120)
    assert pqc.kind == "Added"
    assert "- Istiod xDS server." in pqc.markdown
    assert "mTLS communication between Envoy proxies and ztunnels" in pqc.text
    assert [ref.number for ref in pqc.issues] == [56330]
    assert entry_at(release, 130).kind == "Fixed"
    assert not [entry for entry in release.entries if 125 <= entry.line <= 127]


def test_column_zero_continuations(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.29.x/announcing-1.29/change-notes/index.md")
    overload = entry_at(release, 78)
    assert "proxy metadata will take precedence over the runtime flag" in overload.text
    assert [ref.number for ref in overload.issues] == [58594]
    wait = entry_at(release, 223)
    assert "--wait=false" in wait.markdown
    assert [ref.number for ref in wait.issues] == [57075]
    # A bold verb inside a paragraph (no blank line, no marker) does not start an entry.
    assert (
        "Deprecated the sidecar.istio.io/statsCompression annotation" in entry_at(release, 153).text
    )


def test_text_shortcode_becomes_a_fence(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "releases/1.31.x/announcing-1.31/change-notes/index.md")
    entry = entry_at(release, 29)
    assert "```yaml\napiVersion: gateway.networking.k8s.io/v1" in entry.markdown
    assert [ref.number for ref in entry.issues] == [60122]
    assert (entry_at(release, 449).kind, entry_at(release, 449).kind_label) == (
        "Changed",
        "Upgraded",
    )
    assert "Credit" in entry_at(release, 496).text


def test_bold_verb_paragraph_is_an_entry(parsed_corpus: dict[str, Release | Exception]) -> None:
    # The author lost the "- " of "**Removed** the `openshift` profile variants".
    release = release_of(parsed_corpus, "releases/1.24.x/announcing-1.24/change-notes/index.md")
    removed = entry_at(release, 192)
    assert removed.kind == "Removed"
    assert removed.summary.startswith("Removed the openshift profile variants")
    assert "openshift" not in entry_at(release, 186).text


def test_bulletin_with_cve_bullets(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "security/istio-security-2024-006/index.md")
    assert release.cvss == "7.5"
    expected_cves = ("CVE-2024-45807", "CVE-2024-45808", "CVE-2024-45806", "CVE-2024-45809",
                     "CVE-2024-45810")  # fmt: skip
    assert release.cves == expected_cves
    assert [entry.cves for entry in release.entries] == [(cve,) for cve in expected_cves]
    assert {entry.kind for entry in release.entries} == {"Security"}
    assert {entry.area for entry in release.entries} == {"CVE"}
    assert "x-envoy" in release.sections[1].prose


def test_bulletin_without_cve_bullets(parsed_corpus: dict[str, Release | Exception]) -> None:
    release = release_of(parsed_corpus, "security/istio-security-2019-001/index.md")
    assert release.cvss == "8.9"
    assert release.cves == ("CVE-2019-12243",)
    (entry,) = release.entries
    assert (entry.kind, entry.kind_label) == ("Security", "Bulletin")
    assert entry.summary == "Incorrect access control."
    assert entry.area == "Security Bulletin"
    assert [ref.number for ref in entry.issues] == [13868]
    assert "Haim Helman" in entry.text


def test_upgrade_notes_version_from_the_folder(
    parsed_corpus: dict[str, Release | Exception],
) -> None:
    # Its front matter names no version ("title: Upgrade Notes"): the folder announcing-1.31 does.
    release = release_of(parsed_corpus, "releases/1.31.x/announcing-1.31/upgrade-notes/index.md")
    assert release.version == "1.31"


def test_index_stubs_have_no_entries(parsed_corpus: dict[str, Release | Exception]) -> None:
    stubs = [name for name in parsed_corpus if name.endswith("_index.md")]
    assert len(stubs) >= 30
    for name in stubs:
        release = release_of(parsed_corpus, name)
        if release.doc_kind == "index":
            assert release.sections == (), name
