"""Version ranges over other projects' changelogs: Kubernetes pre-releases, Linkerd channels."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from notes_tui.cli import main
from notes_tui.loading import load
from notes_tui.outline import display_order
from notes_tui.parse.kubernetes import ga_repeats
from notes_tui.versions import parse_version


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTES_TUI_HOME", str(tmp_path / "home"))


def entries(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main([*args, "--json"]) == 0
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_a_ga_release_does_not_count_its_pre_releases_twice(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    kubernetes = corpus / "other" / "kubernetes"
    releases = load([str(kubernetes)]).releases
    in_range = [
        r
        for r in releases
        if (v := parse_version(r.version)) is not None
        and parse_version("v1.31.0") < v <= parse_version("v1.32.0")  # type: ignore[operator]
    ]
    assert next(r.version for r in in_range) == "v1.32.0"
    assert len(in_range) == 8  # v1.32.0 and its seven alpha, beta and rc releases
    total = sum(len(r.entries) for r in in_range)
    repeats = ga_repeats(in_range)
    assert len(repeats) == 288
    listed = entries(capsys, str(kubernetes), "--from", "v1.31.0", "--to", "v1.32.0")
    assert len(listed) == total - 288
    # The three changes only the GA notes list stay, under the GA release.
    ga_only = {126957, 129103, 127650}
    ga_numbers = {
        issue["number"]  # type: ignore[index]
        for entry in listed
        if entry["release"] == "v1.32.0"
        for issue in entry["issues"]  # type: ignore[attr-defined]
    }
    assert ga_only <= ga_numbers
    # Without a range every release shows all its entries.
    assert len(entries(capsys, str(kubernetes))) == sum(len(r.entries) for r in releases)


def test_pre_releases_order_before_their_release(corpus: Path) -> None:
    releases = load([str(corpus / "other" / "kubernetes")]).releases
    versions = [parse_version(r.version) for r in releases]
    assert all(v is not None for v in versions)
    ordered = sorted(r.version for r in releases)
    by_version = sorted(releases, key=lambda r: parse_version(r.version))  # type: ignore[arg-type, return-value]
    assert [r.version for r in by_version][:3] == [
        "v1.32.0-alpha.1",
        "v1.32.0-alpha.2",
        "v1.32.0-alpha.3",
    ]
    assert [r.version for r in by_version][-1] == "v1.32.8"
    assert len(ordered) == 16


def test_linkerd_channels_order_within_themselves(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    linkerd = corpus / "other" / "linkerd2"
    listed = entries(capsys, str(linkerd), "--query", "version:edge-24.2.1..edge-24.2.5")
    releases = {entry["release"] for entry in listed}
    assert releases and all(str(r).startswith("edge-24.2.") for r in releases)
    assert "edge-24.2.1" not in releases


def test_python_pre_releases_are_in_a_pydantic_range(
    capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    """`v2.14.0b1`, `v2.13.0b3`...: before their release, after the one before.

    Entry counts by hand (`* ` bullets of each block less its New Contributors): v2.14.0b1
    1+2+8+5+21, v2.14.0a1 1+4+2, v2.13.4 2+1; v2.13.0b1 3 notable changes + 43,
    v2.13.0b3 3+3+9+1, v2.13.0 1+1+2+2.
    """
    pydantic = str(corpus / "other" / "pydantic")

    def kept(*args: str) -> Counter[str]:
        return Counter(str(e["release"]) for e in entries(capsys, pydantic, *args))

    # Before Python's suffixes were read, this kept only the four v2.13.x patches (6 entries).
    upgrade = kept("--from", "v2.13.0", "--to", "v2.14.0")
    assert upgrade == Counter(
        {"v2.14.0b1": 37, "v2.14.0a1": 7, "v2.13.4": 3, "v2.13.3": 1, "v2.13.2": 1, "v2.13.1": 1}
    )
    assert kept("--from", "v2.12.5", "--to", "v2.13.0") == Counter(
        {"v2.13.0b1": 46, "v2.13.0b2": 3, "v2.13.0b3": 16, "v2.13.0": 6}
    )
    assert kept("--from", "v2.13.0b3", "--to", "v2.13.0") == Counter({"v2.13.0": 6})
    assert kept("--query", "version:v2.14.0a1..") == Counter({"v2.14.0b1": 37})
    series = kept("--query", "version:2.11")
    assert len(series) == 15
    assert {"v2.11.0a1", "v2.11.0a2", "v2.11.0b1", "v2.11.0b2", "v2.11.10"} <= set(series)


def test_pydantic_versions_order_as_the_file_lists_them(corpus: Path) -> None:
    """The file lists its 192 releases newest first, `v2.14.0b1` down to `v0.20.0a1`."""
    releases = load([str(corpus / "other" / "pydantic")]).releases
    versions = [parse_version(r.version) for r in releases]
    assert len(versions) == 192
    assert None not in versions
    assert all(a > b for a, b in pairwise(versions))  # type: ignore[operator]
    # The tree shows them in that order.
    assert display_order(releases) == list(range(192))
    nearby = [r.version for r in releases if r.version.startswith(("v2.0", "v1.10.0"))]
    assert nearby == [
        *("v2.0.3", "v2.0.2", "v2.0.1", "v2.0", "v2.0b3", "v2.0b2", "v2.0b1"),
        *("v2.0a4", "v2.0a3", "v2.0a2", "v2.0a1", "v1.10.0", "v1.10.0b1", "v1.10.0a2"),
        "v1.10.0a1",
    ]
