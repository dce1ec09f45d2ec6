"""The bundled Istio 1.28.0 change notes: areas, entries, issues and links, counted by hand."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from notes_tui.model import IssueRef, Release
from notes_tui.parse import parse_text

# Counted by hand in assets/istio-1.28.0-change-notes.md: one top-level bullet is one entry.
EXPECTED_AREAS = [
    ("Traffic Management", 18),
    ("Security", 7),
    ("Telemetry", 4),
    ("Extensibility", 1),
    ("Installation", 11),
    ("istioctl", 6),
]

# The five site-relative links of the notes (lines 72, 82 and 99), in document order.
RELATIVE_DOC_PATHS = [
    "/docs/tasks/traffic-management/ingress/secure-ingress/#key-formats",
    "/docs/reference/config/networking/gateway/#ServerTLSSettings-ca_cert_credential_name",
    "/docs/tasks/traffic-management/ingress/secure-ingress/#configure-a-mutual-tls-ingress-gateway",
    "/docs/reference/config/istio.mesh.v1alpha1/",
    "/docs/tasks/observability/distributed-tracing/",
]


def site_links(release: Release, site: str) -> list[str]:
    """Every link URL of the release that starts with `site`, in document order."""
    return [link.url for e in release.entries for link in e.links if link.url.startswith(site)]


def test_seed_is_the_shared_seed(seed_path: Path, shared_dir: Path) -> None:
    shared_seed = shared_dir / "seed" / "istio-1.28.0-change-notes.md"
    assert seed_path.read_bytes() == shared_seed.read_bytes()


def test_release_metadata(seed_release: Release) -> None:
    assert seed_release.version == "1.28.0"
    assert seed_release.doc_kind == "change-notes"
    assert seed_release.title == "Change Notes"
    assert seed_release.date == "2025-11-05"
    assert seed_release.warnings == ()
    assert seed_release.prose == ""


def test_areas_and_entry_counts(seed_release: Release) -> None:
    found = [(section.title, len(section.all_entries())) for section in seed_release.sections]
    assert found == EXPECTED_AREAS
    assert len(seed_release.entries) == 47
    assert all(not section.subsections for section in seed_release.sections)


def test_entries_carry_their_area(seed_release: Release) -> None:
    for section in seed_release.sections:
        assert {entry.area for entry in section.entries} == {section.title}
        assert {entry.area_key for entry in section.entries} == {section.title.casefold()}


def test_issue_reference_count(seed_release: Release) -> None:
    # 14 in Traffic Management, 5 in Security, 4 in Installation, 3 in istioctl.
    assert sum(len(entry.issues) for entry in seed_release.entries) == 26
    per_area: Counter[str] = Counter()
    for entry in seed_release.entries:
        per_area[entry.area] += len(entry.issues)
    assert per_area == Counter(
        {"Traffic Management": 14, "Security": 5, "Installation": 4, "istioctl": 3}
    )


def test_kinds_counted_by_hand(seed_release: Release) -> None:
    labels = Counter(entry.kind_label for entry in seed_release.entries)
    assert labels == Counter(
        {
            "Added": 26,
            "Fixed": 10,
            "Updated": 4,
            "Removed": 3,
            "Promoted": 1,
            "Enabled": 1,
            "Improved": 1,
            "Upgraded": 1,
        }
    )
    # The one vocabulary: Updated, Promoted, Enabled, Improved and Upgraded are changes.
    kinds = Counter(entry.kind for entry in seed_release.entries)
    assert kinds == Counter({"Added": 26, "Fixed": 10, "Changed": 8, "Removed": 3})


def test_first_entry(seed_release: Release, seed_path: Path) -> None:
    first = seed_release.entries[0]
    assert first.kind == "Changed"
    assert first.kind_label == "Promoted"
    assert first.line == 15
    assert first.area == "Traffic Management"
    assert first.release == "1.28.0"
    assert first.doc_kind == "change-notes"
    assert first.source == str(seed_path)
    assert first.summary == "Promoted Istio dual-stack support to beta."
    assert first.issues == (
        IssueRef("istio/istio", 54127, "issue", "https://github.com/istio/istio/issues/54127"),
    )
    assert first.markdown == (
        "**Promoted** Istio dual-stack support to beta.\n"
        "([Issue #54127](https://github.com/istio/istio/issues/54127))"
    )


def test_entry_lines_are_the_bullet_lines(seed_release: Release, seed_text: str) -> None:
    lines = seed_text.split("\n")
    for entry in seed_release.entries:
        assert lines[entry.line - 1].startswith("- **"), entry.line


def test_two_issues_in_order(seed_release: Release) -> None:
    entry = next(e for e in seed_release.entries if e.line == 24)
    assert [ref.number for ref in entry.issues] == [56468, 49870]


def test_istio_api_identity_comes_from_the_url(seed_release: Release) -> None:
    # Labelled "Issue #56877" like the others, but the URL is in istio/api.
    entry = next(e for e in seed_release.entries if "NetworkPolicy" in e.summary)
    assert entry.line == 75
    assert entry.area == "Security"
    assert entry.issues == (
        IssueRef("istio/api", 56877, "issue", "https://github.com/istio/api/issues/56877"),
    )


def test_nested_bullets_stay_in_their_entry(seed_release: Release) -> None:
    entry = next(e for e in seed_release.entries if e.line == 116)
    # The item's two-space indent is gone; the sub-bullets keep theirs, relative to the item.
    assert entry.markdown.count("\n  - If ") == 3
    assert "For the ztunnel chart, `resourceScope` is a top-level field." in entry.markdown
    assert [ref.number for ref in entry.issues] == [57530]


def test_relative_doc_links_resolve_to_istio_io(seed_release: Release) -> None:
    expected = ["https://istio.io/latest" + path for path in RELATIVE_DOC_PATHS]
    assert site_links(seed_release, "https://istio.io/") == expected
    every_url = [link.url for entry in seed_release.entries for link in entry.links]
    assert all(url.startswith("https://") for url in every_url)


def test_relative_doc_links_follow_the_base_url(seed_text: str, seed_path: Path) -> None:
    base_url = "https://docs.example.org/v1.28"
    (release,) = parse_text(seed_text, str(seed_path), base_url=base_url)
    assert site_links(release, base_url) == [base_url + path for path in RELATIVE_DOC_PATHS]
    assert site_links(release, "https://istio.io/") == []
    # Absolute links are left as written.
    assert "https://go.dev/doc/security/fips140" in [
        link.url for entry in release.entries for link in entry.links
    ]
