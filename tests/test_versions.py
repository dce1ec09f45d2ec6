"""Versions and ranges: parsing, order, and which corpus releases an upgrade from A to B keeps.

The kept lists below were checked by hand against `shared/corpus/istio/`: the folders
`releases/1.26.x` to `releases/1.28.x` and each security bulletin's `releases:` and
`publishdate` front matter.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notes_tui.bulletins import DateWindow, bulletin_affects, bulletin_window
from notes_tui.loading import load
from notes_tui.model import Release
from notes_tui.ranges import RangeError, VersionRange, parse_range, range_from_cli
from notes_tui.selection import release_in_range, select_range
from notes_tui.versions import (
    Version,
    parse_version,
    release_version,
    series,
    series_floor,
    sorted_versions,
)

ISTIO_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "istio"
"""`shared/corpus/istio/`, beside the repository."""


@pytest.fixture(scope="module")
def releases() -> list[Release]:
    """Every release of the Istio corpus, loaded once for this module."""
    return load([str(ISTIO_DIR)]).releases


def by_source(releases: list[Release], name: str) -> Release:
    """The release read from one corpus file (path relative to the corpus)."""
    (found,) = [r for r in releases if Path(r.source) == ISTIO_DIR / name]
    return found


def v(text: str) -> Version:
    """Parse a version that must parse."""
    version = parse_version(text)
    assert version is not None, text
    return version


def kept(releases: list[Release], rng: VersionRange) -> list[tuple[str, str, int]]:
    """What a range keeps: (version, doc kind, entry count), in input order."""
    return [(r.version, r.doc_kind, len(r.entries)) for r in select_range(releases, rng)]


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("1.28.0", ("", 1, 28, 0, False)),
        ("1.10", ("", 1, 10, 0, False)),
        ("0.1", ("", 0, 1, 0, False)),
        ("1.0", ("", 1, 0, 0, False)),
        ("1.28.0-rc.1", ("", 1, 28, 0, True)),
        ("1.28.0-beta.2", ("", 1, 28, 0, True)),
        ("v1.32.0-rc.2", ("", 1, 32, 0, True)),
        ("edge-24.2.5", ("edge", 24, 2, 5, False)),
        ("stable-2.14.10", ("stable", 2, 14, 10, False)),
        (" 1.2.3+build.7 ", ("", 1, 2, 3, False)),
        # Python's (PEP 440) forms, as pydantic's HISTORY.md writes its headings.
        ("v2.14.0b1", ("", 2, 14, 0, True)),
        ("v2.0b3", ("", 2, 0, 0, True)),
        ("1.0.0a1", ("", 1, 0, 0, True)),
        ("v0.27.0a1", ("", 0, 27, 0, True)),
        ("1.0.0rc1", ("", 1, 0, 0, True)),
        ("1.0.dev0", ("", 1, 0, 0, True)),
        ("1.0.0.post1", ("", 1, 0, 0, False)),
        ("1.0.0.post1.dev0", ("", 1, 0, 0, False)),
        ("2.0b3+local", ("", 2, 0, 0, True)),
    ],
)
def test_parse_version(text: str, fields: tuple[str, int, int, int, bool]) -> None:
    version = v(text)
    assert (version.channel, version.major, version.minor, version.patch) == fields[:4]
    assert version.is_prerelease is fields[4]
    assert str(version) == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        *("ISTIO-SECURITY-2025-001", "releases", "security", "", "1", "1.2.3.4", "1.x"),
        # Typos of the corpus (laravel-permission, linkerd2) and suffixes that are no version.
        *("6;24.1", "edge-19-2.4", "1.0.0rc1-foo", "2.0b3x", "1.0a1b2"),
    ],
)
def test_not_versions(text: str) -> None:
    assert parse_version(text) is None


def test_order() -> None:
    assert v("1.9") < v("1.10") < v("1.10.1") < v("1.11.0")
    assert v("1.28") == v("1.28.0") and hash(v("1.28")) == hash(v("1.28.0"))
    assert v("v1.28.0") == v("1.28.0")
    assert v("0.8.0") < v("1.0") < v("1.0.9") < v("1.1")


def test_prerelease_order() -> None:
    chain = ["1.28.0-alpha.1", "1.28.0-beta.2", "1.28.0-rc.1", "1.28.0-rc.2", "1.28.0-rc.10"]
    chain += ["1.28.0", "1.28.1-rc.1", "1.28.1"]
    assert sorted_versions(reversed(chain)) == chain
    assert v("1.28.0-rc.1") < v("1.28.0") < v("1.29.0-rc.1")
    assert v("1.28.0-rc9") < v("1.28.0-rc10")  # `rc9` reads as `rc` `9`


def test_python_order() -> None:
    """PEP 440: `.devN` before the pre-releases, a < b < rc < release < `.postN`."""
    chain = ["1.0.dev0", "1.0.dev3", "1.0a1.dev0", "1.0a1", "1.0a1.post1", "1.0a2", "1.0b1"]
    chain += ["1.0b2", "1.0rc1", "1.0rc10", "1.0", "1.0.post1.dev0", "1.0.post1", "1.0.post2"]
    chain += ["1.0.1a1", "1.0.1", "1.1.0.dev0", "1.1.0b1"]
    assert sorted_versions(reversed(chain)) == chain
    # Spellings PEP 440 normalises: `alpha` is `a`, `c`/`pre`/`preview` are `rc`, `r` is `post`.
    assert v("1.0alpha1") == v("1.0a1") == v("1.0.0a1") == v("1.0.0.a1") == v("1.0_a1")
    assert v("1.0c1") == v("1.0pre1") == v("1.0preview1") == v("1.0rc1")
    assert v("1.0r1") == v("1.0.post1") and v("1.0b") == v("1.0b0")
    # A dash is the semver form, which keeps its own order: both sort before the release.
    assert v("1.0.0-rc.1") < v("1.0.0rc2") < v("1.0.0")
    assert not v("1.0.post1").is_prerelease and v("1.0.post1").series == "1.0.x"


def test_python_versions_in_ranges() -> None:
    assert str(parse_range("v2.0b3")) == "v2.0b3"  # one version, not the series
    assert v("v2.0b3") in parse_range("v2.0b3") and v("v2.0") not in parse_range("v2.0b3")
    series_2_0 = parse_range("2.0")
    assert all(v(t) in series_2_0 for t in ("v2.0a1", "v2.0b3", "v2.0", "v2.0.3", "2.0.post1"))
    assert all(v(t) not in series_2_0 for t in ("v1.10.26", "v2.1.0a1", "v2.1.0.dev0"))
    available = ["v2.13.0", "v2.13.4", "v2.14.0a1", "v2.14.0b1"]
    rng = range_from_cli("v2.13.0", "v2.14", available)
    assert rng.upper == v("v2.14.0b1")  # the newest 2.14.* loaded
    assert [t for t in available if v(t) in rng] == ["v2.13.4", "v2.14.0a1", "v2.14.0b1"]
    with pytest.raises(RangeError):
        range_from_cli("v2.14.0", "v2.14.0b1", available)


def test_every_other_corpus_version_parses_as_before(corpus: Path) -> None:
    """Every release heading of `corpus/other/` parses, but for two typos of the files;
    pydantic's 33 Python pre-releases (`v2.14.0b1`, `v2.0a1`...) did not parse before."""
    releases = load([str(corpus / "other")]).releases
    assert len(releases) == 1195
    unparsed = [r.version for r in releases if parse_version(r.version) is None]
    assert unparsed == ["6;24.1", "edge-19-2.4"]
    suffixed = [r.version for r in releases if re.search(r"\d(?:a|b|rc)\d+$", r.version)]
    assert len(suffixed) == 33
    assert all(v(text).is_prerelease for text in suffixed)


def test_channels_order_within_themselves() -> None:
    assert v("edge-24.2.5") < v("edge-24.10.1") < v("edge-25.1.1")
    assert v("stable-2.14.9") < v("stable-2.14.10")
    # Plain versions come first; a channel never mixes with another.
    assert v("99.0.0") < v("edge-1.0.0") < v("stable-1.0.0")


def test_series() -> None:
    assert series("1.28.3") == "1.28.x"
    assert series("1.28") == "1.28.x"
    assert series(v("edge-24.2.5")) == "edge-24.2.x"
    assert series("ISTIO-SECURITY-2025-001") is None


def test_every_corpus_version_parses_and_sorts(releases: list[Release]) -> None:
    texts = [r.version for r in releases if r.doc_kind not in ("security-bulletin", "index")]
    assert len(texts) == 311
    assert [t for t in texts if parse_version(t) is None] == []
    # Sorted as strings first: equal versions ("1.31" and "1.31.0") keep that order.
    ordered = sorted_versions(sorted(set(texts)))
    assert len(ordered) == 281
    # Checked independently of the parser: numbers compared as integers, X.Y as X.Y.0.
    as_numbers = [tuple(int(n) for n in (t + ".0").split(".")[:3]) for t in ordered]
    assert as_numbers == sorted(as_numbers)
    assert ordered[:10] == [
        *("0.1", "0.2", "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0", "0.8.0"),
        *("1.0.0", "1.0.1"),
    ]
    assert ordered.index("1.9.9") < ordered.index("1.10") < ordered.index("1.10.1")
    assert ordered[-4:] == ["1.30.0", "1.31", "1.31.0", "1.31.1"]


def test_minor_notes_count_as_x_y_0(releases: list[Release]) -> None:
    upgrade_notes = by_source(releases, "releases/1.26.x/announcing-1.26/upgrade-notes/index.md")
    assert upgrade_notes.version == "1.26"
    assert release_version(upgrade_notes) == v("1.26.0")
    bulletin = by_source(releases, "security/incorrect-sidecar-image-1.2.4/index.md")
    assert bulletin.version == "1.2.4" and release_version(bulletin) is None


def test_parse_range_forms() -> None:
    upgrade = parse_range("1.26.3..1.28.1")
    assert (upgrade.lower, upgrade.upper) == (v("1.26.3"), v("1.28.1"))
    assert v("1.26.3") not in upgrade and v("1.26.4") in upgrade and v("1.28.1") in upgrade
    assert v("1.28.2") not in upgrade
    assert str(upgrade) == "1.26.3..1.28.1"

    one_series = parse_range("1.28")
    assert str(one_series) == "1.28"
    assert all(v(t) in one_series for t in ("1.28.0-rc.1", "1.28.0", "1.28.9"))
    assert all(v(t) not in one_series for t in ("1.27.9", "1.29.0-rc.1", "1.29.0"))

    above = parse_range("1.27..")
    assert v("1.27.0") not in above and v("1.27.1") in above and v("9.0") in above
    below = parse_range("..1.28")
    assert str(below) == "..1.28"
    assert v("0.1") in below and v("1.28.12") in below and v("1.29.0-rc.1") not in below

    exact = parse_range("1.28.0")
    assert v("1.28.0") in exact and v("1.28.0-rc.1") not in exact and v("1.28.1") not in exact


@pytest.mark.parametrize("text", ["foo..1.2", "1.28.1..1.26.0", "1.28.1..1.28.1", "banana"])
def test_bad_ranges(text: str) -> None:
    with pytest.raises(RangeError):
        parse_range(text)


def test_range_from_cli() -> None:
    available = ["1.26.0", "1.28.0", "1.28.3", "1.29.0", "ISTIO-SECURITY-2025-001"]
    rng = range_from_cli("1.26", "1.28", available)
    assert (rng.lower, rng.upper) == (v("1.26.0"), v("1.28.3"))
    assert v("1.26.0") not in rng
    # No 1.30.* available: the whole series.
    assert range_from_cli(None, "1.30", available).upper == series_floor(1, 31)
    assert range_from_cli("1.27.2", None, available) == VersionRange(v("1.27.2"), None)
    with pytest.raises(RangeError):
        range_from_cli("1.29", "1.28", available)


def test_upgrade_1_26_3_to_1_28_1(releases: list[Release]) -> None:
    """`--from 1.26.3 --to 1.28.1`: the corpus has no 1.26.2+, 1.27.1+ or 1.28.1 notes.

    Kept: 1.27.0 and 1.28.0 change notes (the only notes above 1.26.3 and not above 1.28.1),
    and the bulletins whose fix the upgrade brings: 2025-001 ("1.26.0 to 1.26.3"),
    2025-002 ("1.26.0 to 1.26.5") and 2025-003 ("1.26.0 to 1.26.6", "1.28.0"); not 2025-004
    ("1.28.0 to 1.28.1": 1.28.1 is still affected), nor 2026-001 and later (1.26.3 is not
    affected), nor 2026-002 (no readable versions; dated 2026-03-20, after the window).
    Entry counts by hand: 78 column-0 bullets in 1.27.0, of which lines 125-127 continue the
    `**Added** pqc` entry; 46 in 1.28.0; 2, 2 and 3 CVE bullets in the bulletins.
    """
    rng = range_from_cli("1.26.3", "1.28.1", [r.version for r in releases])
    assert (rng.lower, rng.upper) == (v("1.26.3"), v("1.28.1"))
    assert kept(releases, rng) == [
        ("1.27.0", "change-notes", 75),
        ("1.28.0", "change-notes", 46),
        ("ISTIO-SECURITY-2025-001", "security-bulletin", 2),
        ("ISTIO-SECURITY-2025-002", "security-bulletin", 2),
        ("ISTIO-SECURITY-2025-003", "security-bulletin", 3),
    ]
    # The newest releases at or below 1.26.3 and 1.28.1: 1.26.1 (2025-05-29), 1.28.0 (2025-11-05).
    assert bulletin_window(releases, rng) == DateWindow("2025-05-29", "2025-11-05")


def test_minor_notes_in_a_range(releases: list[Release]) -> None:
    """1.26 upgrade notes count as 1.26.0; 2025-001 affects both 1.25.3 and 1.26.1: dropped."""
    assert kept(releases, parse_range("1.25.3..1.26.1")) == [
        ("1.26.0", "announcement", 4),
        ("1.26.0", "change-notes", 45),
        ("1.26", "upgrade-notes", 2),
        ("1.26.1", "patch-notes", 5),
    ]


def test_one_series(releases: list[Release]) -> None:
    """Every bulletin that names a 1.28.* version; 2026-006 names only 1.29 and 1.30."""
    assert kept(releases, parse_range("1.28")) == [
        ("1.28.0", "change-notes", 46),
        ("ISTIO-SECURITY-2025-003", "security-bulletin", 3),
        ("ISTIO-SECURITY-2025-004", "security-bulletin", 1),
        ("ISTIO-SECURITY-2026-001", "security-bulletin", 7),
        ("ISTIO-SECURITY-2026-003", "security-bulletin", 1),
        ("ISTIO-SECURITY-2026-004", "security-bulletin", 1),
        ("ISTIO-SECURITY-2026-005", "security-bulletin", 14),
    ]


def test_bulletin_affected_versions(releases: list[Release]) -> None:
    bulletin = by_source(releases, "security/istio-security-2025-004/index.md")
    assert bulletin_affects(bulletin, v("1.28.1")) is True
    assert bulletin_affects(bulletin, v("1.28.2")) is False
    assert bulletin_affects(bulletin, v("1.26.7")) is True
    assert bulletin_affects(bulletin, v("1.25.9")) is False
    older = by_source(releases, "security/istio-security-2023-001/index.md")
    assert bulletin_affects(older, v("1.14.6")) is True  # "All releases prior to 1.15.0"
    assert bulletin_affects(older, v("1.15.0")) is True  # "1.15.0 to 1.15.6"
    assert bulletin_affects(older, v("1.15.7")) is False
    series_wide = by_source(releases, "security/istio-security-2021-007/index.md")
    assert bulletin_affects(series_wide, v("1.8.6")) is True  # "All 1.8 patch releases"
    assert bulletin_affects(series_wide, v("1.9.6")) is False
    for unreadable in ("2021-002", "2026-002"):  # "All releases 1.6 and later", free text
        release = by_source(releases, f"security/istio-security-{unreadable}/index.md")
        assert bulletin_affects(release, v("1.28.0")) is None


def test_bulletin_fixed_in_one_version(releases: list[Release]) -> None:
    """`1.28.1` alone keeps 2025-003: it affects 1.28.0, so 1.28.1 carries the fix."""
    assert kept(releases, parse_range("1.28.1")) == [
        ("ISTIO-SECURITY-2025-003", "security-bulletin", 3)
    ]


def test_undated_fallback_uses_the_window(releases: list[Release]) -> None:
    bulletin = by_source(releases, "security/istio-security-2026-002/index.md")
    assert bulletin.date == "2026-03-20"
    rng = parse_range("1.28.0..1.29.0")
    assert not release_in_range(bulletin, rng, None)
    assert release_in_range(bulletin, rng, DateWindow("2025-11-05", "2026-03-20"))
    assert not release_in_range(bulletin, rng, DateWindow("2026-03-20", None))


def test_open_range_keeps_everything_but_index_pages(releases: list[Release]) -> None:
    every = select_range(releases, VersionRange())
    assert [r for r in every if r.doc_kind == "index"] == []
    assert len([r for r in every if r.doc_kind != "security-bulletin"]) == 311
    assert len([r for r in every if r.doc_kind == "security-bulletin"]) == 57
