"""Kubernetes release notes (the krel tool's `CHANGELOG-1.NN.md`): one `# v1.NN.x` per release."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from notes_tui.model import Entry, Release
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock, heading_text
from notes_tui.parse.kubernetes_walk import Walker
from notes_tui.parse.walk import walked_release
from notes_tui.versions import parse_version

PROJECT = "kubernetes/kubernetes"
"""The project of a file whose context names none."""

_TITLE = re.compile(r"v\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?")
_DETECT_HEADINGS = ("changes by kind", "downloads for v", "changelog since v", "urgent upgrade")


def detect(block: ReleaseBlock) -> bool:
    """Tell whether a release block is Kubernetes release notes.

    Args:
        block: The block.

    Returns:
        True when the heading is a `v`-version alone (`v1.32.0-rc.2`) and a `##` heading
        of the block is one krel writes (`Changes by Kind`, `Downloads for v...`,
        `Changelog since v...`, `Urgent Upgrade Notes`).
    """
    if not _TITLE.fullmatch(block.title):
        return False
    for index, token in enumerate(block.tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            title = heading_text(block.tokens[index + 1]).casefold()
            if title.startswith(_DETECT_HEADINGS):
                return True
    return False


def parse(block: ReleaseBlock, ctx: ChangelogContext) -> Release:
    """Read a Kubernetes release block.

    Entries are the bullets under `## Urgent Upgrade Notes` (kind Breaking), under the
    `### <kind>` headings of `## Changes by Kind`, and under `## Dependencies` (kind
    Dependency); each `### CVE-...` of `## Important Security Information` is one Security
    entry. The `(#PR, @author) [SIG ...]` trailer gives the issue, the author and the areas
    (the first SIG is `area`). Sections are areas, in order of first appearance.

    Args:
        block: The release block (`# v1.32.0`).
        ctx: What the file's blocks share.

    Returns:
        The release.
    """
    walker = Walker(block, ctx)
    walker.walk()
    return walked_release(
        block,
        ctx,
        version=walker.version,
        entries=walker.entries,
        prose=walker.prose,
        format_name=FORMAT_NAME,
        project=PROJECT,
    )


def _pull_numbers(entry: Entry) -> Iterator[int]:
    return (issue.number for issue in entry.issues if issue.type == "pull")


def ga_repeats(releases: Iterable[Release]) -> set[tuple[str, int]]:
    """Find the entries a GA release repeats from its own pre-releases.

    krel's notes for `v1.32.0` are "changes since v1.31.0": they list again every change
    of `v1.32.0-alpha.1` ... `v1.32.0-rc.2`. Across a range that holds both, such a change
    is one change. Skip the GA entries this returns when counting (or listing) a range;
    the pre-release entry stays, and the GA entry still names it as `also in`.

    Args:
        releases: The releases of a range (Kubernetes ones are looked at; others ignored).

    Returns:
        `(GA version, PR number)` for each GA entry whose pull request a pre-release of
        the same version, among `releases`, also lists.
    """
    kube = [r for r in releases if r.format == FORMAT_NAME]
    listed: dict[tuple[str, int, int, int], set[int]] = {}
    for release in kube:
        version = parse_version(release.version)
        if version is not None and version.is_prerelease:
            key = (version.channel, version.major, version.minor, version.patch)
            numbers = listed.setdefault(key, set())
            for entry in release.entries:
                numbers.update(_pull_numbers(entry))
    repeats: set[tuple[str, int]] = set()
    for release in kube:
        version = parse_version(release.version)
        if version is None or version.is_prerelease:
            continue
        earlier = listed.get((version.channel, version.major, version.minor, version.patch))
        if not earlier:
            continue
        for entry in release.entries:
            repeats.update((release.version, n) for n in _pull_numbers(entry) if n in earlier)
    return repeats


def is_ga_repeat(entry: Entry, repeats: set[tuple[str, int]]) -> bool:
    """Tell whether an entry is a GA repeat (see `ga_repeats`).

    Args:
        entry: An entry.
        repeats: What `ga_repeats` returned for the range.

    Returns:
        True when one of the entry's pull requests is repeated in its release.
    """
    return any((entry.release, number) in repeats for number in _pull_numbers(entry))


FORMAT_NAME = "kubernetes"
"""The format's name."""

FORMAT = ChangelogFormat(
    name=FORMAT_NAME,
    description="Kubernetes release notes (krel): # v1.NN.x, Changes by Kind, [SIG ...] labels",
    detect=detect,
    parse=parse,
)
"""The Kubernetes format."""
