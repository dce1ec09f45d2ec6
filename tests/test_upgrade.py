"""Breaking entries, backports and the upgrade checklist, on entries of the real Istio notes.

Every entry named here was read in its source file (path and line) to check the expectation.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from notes_tui.loading import load
from notes_tui.model import Entry, Release, Section
from notes_tui.upgrade import backports, changes_default, is_breaking, other_releases, to_checklist

ISTIO_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "istio"
"""`shared/corpus/istio/`, beside the repository."""

CHANGES_1_28 = "releases/1.28.x/announcing-1.28/change-notes/index.md"
CHANGES_1_27 = "releases/1.27.x/announcing-1.27/change-notes/index.md"
CHANGES_1_26 = "releases/1.26.x/announcing-1.26/change-notes/index.md"


@pytest.fixture(scope="module")
def releases() -> list[Release]:
    """Every release of the Istio corpus, loaded once for this module."""
    return load([str(ISTIO_DIR)]).releases


def entry_at(releases: list[Release], name: str, line: int) -> Entry:
    """The entry of a corpus file (path relative to the corpus) that starts on a line."""
    (release,) = [r for r in releases if Path(r.source) == ISTIO_DIR / name]
    (entry,) = [e for e in release.entries if e.line == line]
    return entry


BREAKING = [
    # "Updated the default value for maximum accepted connections per socket event."
    (CHANGES_1_28, 18),
    # "Removed use of MD5 to optimize comparisons." (kind Removed)
    (CHANGES_1_28, 86),
    # "Updated environment variable PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY default value to true"
    (CHANGES_1_28, 90),
    # "Promoted the environment variable ENABLE_NATIVE_SIDECARS to default to true."
    (CHANGES_1_27, 151),
    # "Enabled Delta xDS by default."
    ("releases/1.22.x/announcing-1.22/change-notes/index.md", 77),
    # "Updated Istio's default load balancing algorithm from ROUND_ROBIN to LEAST_REQUEST."
    ("releases/1.14.x/announcing-1.14/change-notes/index.md", 101),
    # "The CNI node agent no longer runs in the hostNetwork namespace by default"
    ("releases/1.26.x/announcing-1.26/_index.md", 45),
    # Upgrade notes: "Upcoming removal of telemetry providers"
    ("releases/1.26.x/announcing-1.26/upgrade-notes/index.md", 12),
    # A bulletin's CVE: "CVE-2025-55162 ... OAuth2 Filter Signout route"
    ("security/istio-security-2025-001/index.md", 20),
]

NOT_BREAKING = [
    # "Added support for cookie attributes in consistent hash load-balancing."
    (CHANGES_1_28, 24),
    # "Fixed an issue where the tag watcher didn't consider the default revision ..."
    (CHANGES_1_28, 50),
    # "Added support for Gateway API Inference Extension. This feature is off by default"
    (CHANGES_1_27, 39),
    # "... allowing users to disable the default enabling of native sidecars."
    (CHANGES_1_27, 173),
    # "This currently defaults to `false`, but will become the default in the future."
    (CHANGES_1_26, 66),
    # "Updated the PILOT_SEND_UNHEALTHY_ENDPOINTS feature (which is off by default) to ..."
    ("releases/1.25.x/announcing-1.25/change-notes/index.md", 36),
    # "Fixed a bug causing runaway logs in istiod after disabling the default ingress controller."
    ("releases/1.8.x/announcing-1.8.6/index.md", 46),
]


@pytest.mark.parametrize(("name", "line"), BREAKING)
def test_breaking(releases: list[Release], name: str, line: int) -> None:
    assert is_breaking(entry_at(releases, name, line))


@pytest.mark.parametrize(("name", "line"), NOT_BREAKING)
def test_not_breaking(releases: list[Release], name: str, line: int) -> None:
    assert not is_breaking(entry_at(releases, name, line))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Changed Galley's default monitoring port from 9093 to 15014.", True),
        ("Increased default protocol detection timeout from 100 ms to 5 s.", True),
        ("The default threshold is now warning.", True),
        ("Improved the variables (previously defaulted to 25.0) to 100.", True),
        ("Default-on TLS verification for TLS origination.", True),
        ("Improved gateway deployments to run as non-root by default.", True),
        ("Added a flag. This feature is disabled by default.", False),
        ("Added a flag, default to false.", False),
        ("It will become the default in a future release.", False),
        ("Fixed istioctl install failing with --revision default.", False),
    ],
)
def test_changes_default(releases: list[Release], text: str, expected: bool) -> None:
    added = entry_at(releases, CHANGES_1_28, 24)
    assert changes_default(replace(added, text=text)) is expected


def test_breaking_kind_of_other_formats(releases: list[Release]) -> None:
    added = entry_at(releases, CHANGES_1_28, 24)
    assert is_breaking(replace(added, kind="Breaking"))
    assert is_breaking(replace(added, kind="Deprecated"))


def test_backports_in_the_corpus(releases: list[Release]) -> None:
    """#48241 is in releases/1.19.x/announcing-1.19.6 (line 20) and 1.20.x/announcing-1.20.2
    (line 27), nowhere else; #17117 in announcing-1.1.15 (line 25) and announcing-1.2.6 (31)."""
    found = backports(releases)
    assert found[("istio/istio", 48241)] == ["1.19.6", "1.20.2"]
    assert found[("istio/istio", 17117)] == ["1.1.15", "1.2.6"]
    # Referenced by one release only: not a backport.
    assert ("istio/istio", 56468) not in found
    in_1_19 = entry_at(releases, "releases/1.19.x/announcing-1.19.6/index.md", 20)
    assert other_releases(in_1_19, found) == ["1.20.2"]
    in_1_20 = entry_at(releases, "releases/1.20.x/announcing-1.20.2/index.md", 27)
    assert other_releases(in_1_20, found) == ["1.19.6"]
    assert other_releases(entry_at(releases, CHANGES_1_28, 24), found) == []


def test_equal_versions_are_one_release(releases: list[Release]) -> None:
    entry = entry_at(releases, CHANGES_1_28, 24)
    section = Section("Traffic", "traffic", (entry,))
    minor = Release("1.28", "Upgrade notes", None, "upgrade-notes", "a.md", (section,))
    same = Release("1.28.0", "Change notes", None, "change-notes", "b.md", (section,))
    patch = Release("1.27.3", "Patch", None, "patch-notes", "c.md", (section,))
    assert backports([minor, same]) == {}
    assert backports([minor, same, patch]) == {
        ("istio/istio", 56468): ["1.27.3", "1.28"],
        ("istio/istio", 49870): ["1.27.3", "1.28"],
    }


CHECKLIST = """\
## 1.19.6

### Changes

- [ ] Fixed an issue where the Istio injection webhook may be modified in dry-run mode. \
([#48241](https://github.com/istio/istio/issues/48241))

## 1.28.0

### Traffic Management

- [ ] Added support for cookie attributes in consistent hash load-balancing. \
([#56468](https://github.com/istio/istio/issues/56468), \
[#49870](https://github.com/istio/istio/issues/49870))

### Telemetry

- [ ] Updated environment variable PILOT_SPAWN_UPSTREAM_SPAN_FOR_GATEWAY default value to true, \
enabling the spawning of upstream spans for gateway requests by default.

### Security

- [ ] Removed use of MD5 to optimize comparisons.

## 1.26 upgrade notes

### Upcoming removal of telemetry providers

- [ ] Upcoming removal of telemetry providers

## ISTIO-SECURITY-2025-001

### CVE

- [ ] CVE-2025-54588: (CVSS score 7.5, High): Use after free in DNS cache
"""


def test_checklist(releases: list[Release]) -> None:
    selection = [
        entry_at(releases, "releases/1.19.x/announcing-1.19.6/index.md", 20),
        entry_at(releases, CHANGES_1_28, 24),
        entry_at(releases, CHANGES_1_28, 90),
        entry_at(releases, CHANGES_1_28, 86),
        entry_at(releases, "releases/1.26.x/announcing-1.26/upgrade-notes/index.md", 12),
        entry_at(releases, "security/istio-security-2025-001/index.md", 21),
    ]
    assert to_checklist(selection) == CHECKLIST


def test_checklist_keeps_text_plain(releases: list[Release]) -> None:
    entry = replace(
        entry_at(releases, CHANGES_1_28, 86),
        summary="Thanks @someone: `<istio>` *is* _new_ [x](y), mail a@b.io",
        issues=(),
    )
    assert to_checklist([entry]) == (
        "## 1.28.0\n\n### Security\n\n"
        "- [ ] Thanks @\u200bsomeone: \\`\\<istio\\>\\` \\*is\\* \\_new\\_ \\[x\\](y), "
        "mail a@b.io\n"
    )
    assert to_checklist([]) == ""


def test_new_core_modules_do_not_load_textual() -> None:
    code = (
        "import sys, notes_tui.versions, notes_tui.ranges, notes_tui.bulletins, "
        "notes_tui.upgrade, notes_tui.cache; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
