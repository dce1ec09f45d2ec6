"""Security bulletins in a range: kept by the versions they affect (`releases:`), else by date."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from notes_tui.model import Release
from notes_tui.ranges import VersionRange
from notes_tui.versions import (
    Version,
    is_series_text,
    parse_version,
    release_version,
    series_end,
    series_floor,
)

_AFFECTED_SPAN = re.compile(r"(?:istio\s+)?(\S+)\s+(?:to|through)\s+(\S+)", re.I)
_AFFECTED_BEFORE = re.compile(r"all\s+releases\s+prior\s+to\s+(\S+)", re.I)
_AFFECTED_SERIES = re.compile(r"all\s+(\S+)\s+patch\s+releases", re.I)


@dataclass(frozen=True)
class _Span:
    """Affected versions `low <= v < high` (`<= high` when `high_inclusive`); None is open."""

    low: Version | None
    high: Version | None
    high_inclusive: bool = True

    def __contains__(self, version: object) -> bool:
        return isinstance(version, Version) and self.overlaps(version, version)

    def overlaps(self, lower: Version | None, upper: Version | None) -> bool:
        """Whether some version `lower <= v <= upper` is affected."""
        if self.low is not None and upper is not None and upper < self.low:
            return False
        if self.high is None or lower is None:
            return True
        return lower < self.high or (self.high_inclusive and lower == self.high)


def _affected_span(text: str) -> _Span | None:
    """Read one item of a bulletin's `releases:` list (`1.26.0 to 1.26.3`, `1.5`...).

    `All releases 1.6 and later` is not read: it names no version that carries the fix.
    """
    text = " ".join(text.split())
    if match := _AFFECTED_BEFORE.fullmatch(text):
        high = parse_version(match.group(1))
        return _Span(None, high, high_inclusive=False) if high else None
    if match := _AFFECTED_SERIES.fullmatch(text):
        version = parse_version(match.group(1))
        if version is None:
            return None
        floor = series_floor(version.major, version.minor, version.channel)
        return _Span(floor, series_end(version), high_inclusive=False)
    # `1.26.0 to 1.26.3`, or one version (`1.28.0`; `1.5` is 1.5.0).
    span = _AFFECTED_SPAN.fullmatch(text)
    low_text, high_text = span.groups() if span else (text, text)
    low, high = parse_version(low_text), parse_version(high_text)
    if low is None or high is None:
        return None
    if span is not None and is_series_text(high_text):
        return _Span(low, series_end(high), high_inclusive=False)
    return _Span(low, high)


def _affected_spans(release: Release) -> list[_Span] | None:
    """The versions a bulletin affects, or None when its `releases:` is missing or unreadable."""
    items = release.front_matter.get("releases")
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        return None
    spans = [_affected_span(item) for item in items]
    return [span for span in spans if span is not None] if all(spans) else None


def bulletin_affects(release: Release, version: Version) -> bool | None:
    """Tell whether a security bulletin says a version is affected.

    Args:
        release: A security bulletin, with `releases:` in its front matter
            (`["1.28.0", "1.27.0 to 1.27.3", "All releases prior to 1.26.0"]`).
        version: The version.

    Returns:
        Whether the version is affected; None when the bulletin lists no readable versions.
    """
    spans = _affected_spans(release)
    return None if spans is None else any(version in span for span in spans)


@dataclass(frozen=True)
class DateWindow:
    """Publication dates `after < date <= until` (ISO `YYYY-MM-DD`); None is open."""

    after: str | None
    """The excluded lower date."""
    until: str | None
    """The included upper date."""

    def __contains__(self, date: object) -> bool:
        if not isinstance(date, str):
            return False
        return (self.after is None or date > self.after) and (
            self.until is None or date <= self.until
        )


def bulletin_window(releases: Iterable[Release], rng: VersionRange) -> DateWindow | None:
    """The dates of a range, for bulletins that list no affected versions.

    The window runs from the date of the newest dated release at or below `lower`
    (excluded) to the date of the newest dated release at or below `upper` (included).
    "Newest" is in version order: the release upgraded from, or its nearest predecessor.

    Args:
        releases: Every loaded release.
        rng: The range.

    Returns:
        The window; None when no dated release lies at or below `upper`.
    """
    dated = [
        (version, release.date)
        for release in releases
        if release.date and (version := release_version(release)) is not None
    ]

    def newest_date(bound: Version) -> str | None:
        below = [(version, date) for version, date in dated if version <= bound]
        return max(below)[1] if below else None

    until = newest_date(rng.upper) if rng.upper is not None else None
    if rng.upper is not None and until is None:
        return None
    return DateWindow(newest_date(rng.lower) if rng.lower is not None else None, until)


def _fix_versions(spans: Iterable[_Span]) -> set[Version]:
    """The first versions past each affected span (`1.27.0 to 1.27.3` is fixed in 1.27.4)."""
    fixes: set[Version] = set()
    for span in spans:
        if span.high is not None and not span.high_inclusive:
            fixes.add(span.high)
        elif span.high is not None:
            high = span.high
            fixes.add(Version(high.channel, high.major, high.minor, high.patch + 1))
    return fixes


def bulletin_in_range(release: Release, rng: VersionRange, window: DateWindow | None) -> bool:
    """Tell whether a security bulletin is to be read when upgrading across a range.

    With affected versions listed, it is kept when the upgrade brings its fix: the version
    upgraded from is affected and the version upgraded to is not. When the range has no
    real start (`..1.28`, the series `1.28`), "the start is affected" reads "some version
    in the range is affected"; an open end counts as fixed. A one-version range (`1.28.1`)
    keeps the bulletins fixed in exactly that version. Without readable affected versions,
    the bulletin is kept when its date lies in `window`.

    Args:
        release: A security bulletin.
        rng: The range.
        window: The dates of the range (`bulletin_window`), or None to keep none by date.

    Returns:
        True when the bulletin is to be read.
    """
    spans = _affected_spans(release)
    if spans is None:
        return window is not None and release.date in window
    if rng.include_lower and rng.lower is not None:
        return rng.lower in _fix_versions(spans)
    if rng.lower is None or rng.lower.is_floor:
        start_affected = any(span.overlaps(rng.lower, rng.upper) for span in spans)
    else:
        start_affected = any(rng.lower in span for span in spans)
    end_fixed = rng.upper is None or not any(rng.upper in span for span in spans)
    return start_affected and end_fixed
