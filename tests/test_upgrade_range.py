"""Many releases at once: ranges on the command line, the tree's shape, the session's filters."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from notes_tui.cli import main
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.outline import OutlineNode, build_outline, display_order
from notes_tui.session import Session
from notes_tui.versions import parse_version

RANGE = ["--from", "1.26.3", "--to", "1.28.1"]
"""The upgrade the issue names."""

EXPECTED_RANGE = {
    # Checked by hand: the corpus has no 1.26.2+, 1.27.1+ or 1.28.1 notes; 1.27.0 and 1.28.0
    # change notes are newer than 1.26.3; the three 2025 bulletins affect 1.26.3 and not 1.28.1.
    "1.27.0": 75,
    "1.28.0": 46,
    "ISTIO-SECURITY-2025-001": 2,
    "ISTIO-SECURITY-2025-002": 2,
    "ISTIO-SECURITY-2025-003": 3,
}


@pytest.fixture(scope="module")
def releases(istio_corpus: Path) -> list[Release]:
    return load([str(istio_corpus)]).releases


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_range_on_the_command_line(capsys: pytest.CaptureFixture[str], istio_corpus: Path) -> None:
    status, out, err = run(capsys, str(istio_corpus), *RANGE, "--json")
    assert status == 0, err
    entries = json.loads(out)
    assert Counter(entry["release"] for entry in entries) == EXPECTED_RANGE
    # Oldest first: the versions in order, then the bulletins by date.
    assert list(dict.fromkeys(entry["release"] for entry in entries)) == list(EXPECTED_RANGE)
    assert all("also_in" in entry for entry in entries)


def test_range_as_a_query_keeps_the_same_entries(
    capsys: pytest.CaptureFixture[str], istio_corpus: Path
) -> None:
    _, by_flags, _ = run(capsys, str(istio_corpus), *RANGE, "--json")
    _, by_query, _ = run(capsys, str(istio_corpus), "--query", "version:1.26.3..1.28.1", "--json")
    key = sorted((e["release"], e["line"]) for e in json.loads(by_flags))
    assert key == sorted((e["release"], e["line"]) for e in json.loads(by_query))


BREAKING_IN_RANGE = [
    # Read by hand: removals, changed defaults, and every entry of the three bulletins.
    ("1.27.0", "Removed support of Lightstep tracing provider."),
    ("1.27.0", "Promoted the environment variable ENABLE_NATIVE_SIDECARS to default to true."),
    ("1.27.0", "Removed unused multicluster-related Helm values."),
    ("1.28.0", "Updated the default value for maximum accepted connections per socket event."),
    ("1.28.0", "Removed use of MD5 to optimize comparisons."),
    ("1.28.0", "Updated environment variable PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY default"),
    ("1.28.0", "Removed metric expiry support."),
    ("ISTIO-SECURITY-2025-001", "CVE-2025-55162"),
    ("ISTIO-SECURITY-2025-001", "CVE-2025-54588"),
    ("ISTIO-SECURITY-2025-002", "CVE-2025-62504"),
    ("ISTIO-SECURITY-2025-002", "CVE-2025-62409"),
    ("ISTIO-SECURITY-2025-003", "CVE-2025-66220"),
    ("ISTIO-SECURITY-2025-003", "CVE-2025-64527"),
    ("ISTIO-SECURITY-2025-003", "CVE-2025-64763"),
]


def test_breaking_in_the_range(capsys: pytest.CaptureFixture[str], istio_corpus: Path) -> None:
    status, out, _ = run(capsys, str(istio_corpus), *RANGE, "--breaking", "--json")
    assert status == 0
    entries = json.loads(out)
    assert len(entries) == len(BREAKING_IN_RANGE)
    for entry, (release, start) in zip(entries, BREAKING_IN_RANGE, strict=True):
        assert entry["release"] == release
        assert entry["summary"].startswith(start)


def test_checklist(capsys: pytest.CaptureFixture[str], istio_corpus: Path) -> None:
    status, out, _ = run(
        capsys, str(istio_corpus), *RANGE, "--area", "istioctl", "--markdown", "--checklist"
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "## 1.27.0"
    assert "### istioctl" in lines
    assert "## 1.28.0" in lines
    items = [line for line in lines if line.startswith("- [ ] ")]
    assert len(items) == out.count("- [ ] ") and items
    assert any("](https://github.com/istio/istio/issues/" in item for item in items)


def test_checklist_alone_writes_the_checklist(
    capsys: pytest.CaptureFixture[str], istio_corpus: Path
) -> None:
    # `--checklist > upgrade.md` must not write the plain list into the file.
    args = (str(istio_corpus), *RANGE, "--area", "istioctl")
    with_markdown = run(capsys, *args, "--markdown", "--checklist")
    assert run(capsys, *args, "--checklist") == with_markdown
    for other in ("--list", "--json"):
        status, out, err = run(capsys, *args, other, "--checklist")
        assert (status, out) == (2, "")
        assert (
            err
            == "notes-tui: error: --checklist writes Markdown: not allowed with --list or --json\n"
        )


def test_a_reversed_range_is_an_error(
    capsys: pytest.CaptureFixture[str], istio_corpus: Path
) -> None:
    status, out, err = run(capsys, str(istio_corpus), "--from", "1.29", "--to", "1.26", "--list")
    assert status == 2
    assert out == ""
    assert err.startswith("notes-tui: error: ") and err.count("\n") == 1


def test_backports_are_marked_in_the_list(
    capsys: pytest.CaptureFixture[str], istio_corpus: Path
) -> None:
    # Issue 48241 is fixed in 1.19.6 and 1.20.2 (checked by hand).
    status, out, _ = run(capsys, str(istio_corpus), "--query", "#48241", "--list")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1.20.2") or lines[0].startswith("1.19.6")
    assert any(line.endswith("(also in 1.20.2)") for line in lines)
    assert any(line.endswith("(also in 1.19.6)") for line in lines)


def test_second_load_comes_from_the_cache(
    capsys: pytest.CaptureFixture[str], istio_corpus: Path, tmp_path: Path
) -> None:
    first = run(capsys, str(istio_corpus), "--json")
    cached = list((tmp_path / "home" / "cache").rglob("*.json"))
    assert len(cached) == 399
    second = run(capsys, str(istio_corpus), "--json")
    assert first == second
    uncached = run(capsys, str(istio_corpus), "--json", "--no-cache")
    assert uncached == first


def labels(node: OutlineNode) -> list[str]:
    return [child.label for child in node.children]


def test_the_tree_groups_by_series_newest_first(releases: list[Release]) -> None:
    root = build_outline(releases)
    top = labels(root)
    assert top[0] == "1.31.x"
    assert top[-1] == "Security bulletins"
    series = [label for label in top if label.endswith(".x")]
    keys = [parse_version(label.removesuffix(".x")) for label in series]
    assert keys == sorted(keys, reverse=True)  # type: ignore[type-var]
    assert series.index("1.10.x") < series.index("1.9.x")
    # 1.28.x holds the 1.28.0 change notes; 1.24.0 has several documents.
    by_label = {child.label: child for child in root.children}
    assert labels(by_label["1.28.x"]) == ["1.28.0 Change Notes"]
    version_1_24 = next(c for c in by_label["1.24.x"].children if c.label == "1.24.0")
    assert sorted(labels(version_1_24)) == ["Announcement", "Change Notes", "Upgrade Notes"]
    # Under "Security bulletins", a bulletin's id without its prefix, its CVSS score, its CVEs.
    bulletins = by_label["Security bulletins"].children
    assert bulletins[0].label.startswith("2026-006 · CVSS ")
    first_2025 = next(b for b in bulletins if b.label.startswith("2025-001"))
    assert first_2025.label == "2025-001 · CVSS 7.5 · CVE-2025-55162, CVE-2025-54588"
    # A page of bulletins with no id is named by its title, not by the version it mentions.
    assert sum(not re.match(r"\d{4}-\d{3} ", b.label) for b in bulletins) == 1
    assert "Istio 1.2.4 sidecar image vulnerability" in labels(by_label["Security bulletins"])


def test_index_pages_are_not_in_the_tree(releases: list[Release]) -> None:
    covered: set[int] = set()
    for node in build_outline(releases).children:
        covered |= node.releases or set()
    assert all(releases[p].entries for p in covered)
    assert all(p in covered for p, r in enumerate(releases) if r.entries)


def test_display_order_is_newest_first(releases: list[Release]) -> None:
    order = [releases[p].version for p in display_order(releases) if releases[p].entries]
    assert order[0] == "1.31.1"
    assert order.index("1.10.0") < order.index("1.9.0") if "1.10.0" in order else True
    assert order[-1].startswith("ISTIO-SECURITY-")


def test_session_version_filter_and_counts(releases: list[Release]) -> None:
    session = Session()
    session.add(releases)
    assert session.total == 3766
    session.set_query("version:1.26.3..1.28.1")
    assert Counter(e.release for e in session.visible) == EXPECTED_RANGE
    assert session.counts[(None, None)] == 128
    assert (
        sum(
            count
            for (release, area), count in session.counts.items()
            if release is not None and area is None
        )
        == 128
    )
    session.set_query("version:1.26.3..1.28.1 is:breaking")
    breaking = len(session.visible)
    assert 7 <= breaking < 128
    session.set_query("version:nonsense..")
    assert session.query_error is not None


def test_areas_differing_in_case_are_one_area(releases: list[Release]) -> None:
    session = Session()
    session.add(releases)
    keys = [key for key, _ in session.areas()]
    assert "traffic management" in keys
    titles = {e.area for e in session.index.entries if e.area_key == "traffic management"}
    assert {"Traffic Management", "Traffic management"} <= titles
    session.set_query("area:traffic")
    assert {e.area_key for e in session.visible} == {
        "traffic management",
        "traffic management resource visibility changes",  # 1.5 upgrade notes: same prefix
    }
