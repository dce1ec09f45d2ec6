"""Choosing what to read: version ranges over releases, then filters over their entries."""

from __future__ import annotations

from collections.abc import Sequence

from notes_tui.bulletins import DateWindow, bulletin_in_range, bulletin_window
from notes_tui.model import Entry, Release
from notes_tui.parse.kubernetes import ga_repeats, is_ga_repeat
from notes_tui.query import Query
from notes_tui.ranges import RangeError, VersionRange, parse_range
from notes_tui.versions import BULLETIN, release_version

_DROPPED_KINDS = frozenset({"index"})
"""Document kinds `select_range` never keeps: they hold no entries."""


def release_in_range(
    release: Release, rng: VersionRange, bulletin_dates: DateWindow | None = None
) -> bool:
    """Tell whether a release belongs to a range.

    Releases with a version are kept when `lower < version <= upper` (`1.28` notes count
    as `1.28.0`). Index pages are never kept. Security bulletins follow `bulletin_in_range`.

    Args:
        release: The release.
        rng: The range.
        bulletin_dates: The dates of the range (`bulletin_window`), for bulletins that list
            no affected versions; None keeps no such bulletin.

    Returns:
        True when the release is to be read.
    """
    if release.doc_kind in _DROPPED_KINDS:
        return False
    if release.doc_kind == BULLETIN:
        return bulletin_in_range(release, rng, bulletin_dates)
    version = release_version(release)
    return version is not None and version in rng


def select_range(releases: Sequence[Release], rng: VersionRange) -> list[Release]:
    """Keep the releases to read when upgrading across a range, in input order.

    Args:
        releases: Every loaded release.
        rng: The range.

    Returns:
        The releases `release_in_range` keeps.
    """
    window = bulletin_window(releases, rng)
    return [release for release in releases if release_in_range(release, rng, window)]


def releases_in_ranges(releases: Sequence[Release], ranges: Sequence[str]) -> set[int] | None:
    """The positions of the releases every `version:` range of a query keeps.

    Args:
        releases: Every loaded release.
        ranges: `version:` values as typed (`1.26.3..1.28.1`, `1.28`, `1.27..`).

    Returns:
        Positions to keep, or None when the query names no range.

    Raises:
        RangeError: When a range cannot be read.
    """
    if not ranges:
        return None
    kept = set(range(len(releases)))
    for text in ranges:
        chosen = {id(release) for release in select_range(releases, parse_range(text))}
        kept &= {position for position in kept if id(releases[position]) in chosen}
    return kept


def in_version_order(releases: Sequence[Release]) -> list[Release]:
    """Sort releases oldest first: versioned ones by version, bulletins by date after them.

    Args:
        releases: Releases in any order.

    Returns:
        A new, stably sorted list.
    """

    def key(release: Release) -> tuple[int, object, str]:
        version = release_version(release)
        if version is not None:
            return (0, version, "")
        return (1, release.date or "", release.version)

    return sorted(releases, key=key)


def apply_range(releases: Sequence[Release], rng: VersionRange | None) -> list[Release]:
    """Keep the releases of a range (all of them without one), oldest first.

    Args:
        releases: Every loaded release.
        rng: The range, or None.

    Returns:
        The releases to read.
    """
    chosen = list(releases) if rng is None else select_range(releases, rng)
    return in_version_order(chosen)


def entries_of(releases: Sequence[Release]) -> list[Entry]:
    """Every entry of the releases, in order."""
    return [entry for release in releases for entry in release.entries]


def without_repeats(releases: Sequence[Release]) -> list[Entry]:
    """Every entry of the releases, less those a GA release repeats from its pre-releases.

    Kubernetes notes for `v1.32.0` list again every change of `v1.32.0-alpha.1` ...
    `v1.32.0-rc.2`; when both are among the releases, each change counts once (the
    pre-release's entry stays). Other formats have no such repeats.

    Args:
        releases: The releases of a range.

    Returns:
        Their entries, in order.
    """
    repeats = ga_repeats(releases)
    entries = entries_of(releases)
    if not repeats:
        return entries
    return [entry for entry in entries if not is_ga_repeat(entry, repeats)]


def query_ranges(query: Query) -> tuple[str, ...]:
    """The `version:` ranges of a query, checked.

    Args:
        query: The parsed query.

    Returns:
        The ranges as typed.

    Raises:
        RangeError: When one cannot be read.
    """
    for text in query.versions:
        parse_range(text)
    return query.versions


__all__ = [
    "RangeError",
    "apply_range",
    "entries_of",
    "in_version_order",
    "query_ranges",
    "release_in_range",
    "releases_in_ranges",
    "select_range",
    "without_repeats",
]
