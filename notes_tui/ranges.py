"""Version ranges as typed (`1.26.3..1.28.1`, `1.28`, `--from A --to B`): what to read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notes_tui.versions import Version, is_series_text, parse_version, series_end, series_floor


@dataclass(frozen=True)
class VersionRange:
    """The versions `lower < version <= upper`: what to read when upgrading from lower to upper.

    A bound of None is open. The series range `1.28` is `floor(1.28) < v <= floor(1.29)`:
    every 1.28.* version, pre-releases included, and no 1.29 pre-release. `include_lower`
    is set only by the one-version range (`1.28.0`: `lower == upper`).
    """

    lower: Version | None = None
    """The version upgraded from (excluded), or None for no lower bound."""
    upper: Version | None = None
    """The version upgraded to (included), or None for no upper bound."""
    include_lower: bool = False
    """Whether `lower` itself is in the range (only for a one-version range)."""

    def __contains__(self, version: object) -> bool:
        if not isinstance(version, Version):
            return False
        if self.lower is not None and not (
            self.lower < version or (self.include_lower and self.lower == version)
        ):
            return False
        return self.upper is None or version <= self.upper

    def __str__(self) -> str:
        lower, upper = self.lower, self.upper
        if self.include_lower:
            return str(lower)
        if upper is not None and upper.is_floor:
            # A series end: `..1.28` is stored as "up to the floor of 1.29".
            end = f"{upper.channel}-" if upper.channel else ""
            end += f"{upper.major}.{upper.minor - 1}"
            if lower is not None and lower.is_floor and lower.minor == upper.minor - 1:
                return end
            return f"{lower or ''}..{end}"
        return f"{lower or ''}..{upper or ''}"


class RangeError(ValueError):
    """A range or version the user wrote that cannot be read; the message is one line."""


def _bound(text: str) -> Version:
    version = parse_version(text)
    if version is None:
        raise RangeError(f"not a version: {text!r}")
    return version


def parse_range(text: str) -> VersionRange:
    """Parse a range as typed in a query or on the command line.

    Forms: `1.26.3..1.28.1` (upgrading from 1.26.3 to 1.28.1: `1.26.3 < v <= 1.28.1`),
    `1.27..` (everything after 1.27.0), `..1.28` (everything up to the last 1.28.*),
    `1.28` (the one series: every 1.28.*), and `1.28.0` (that version alone). `X.Y` is
    `X.Y.0` as a lower bound and the whole series as an upper bound.

    Args:
        text: The range.

    Returns:
        The range.

    Raises:
        RangeError: When a bound is not a version, or the range is empty.
    """
    stripped = text.strip()
    if ".." not in stripped:
        version = _bound(stripped)
        if is_series_text(stripped):
            return VersionRange(
                series_floor(version.major, version.minor, version.channel), series_end(version)
            )
        return VersionRange(version, version, include_lower=True)
    lower_text, _, upper_text = stripped.partition("..")
    lower = _bound(lower_text) if lower_text.strip() else None
    upper = None
    if upper_text.strip():
        upper = _bound(upper_text)
        if is_series_text(upper_text):
            upper = series_end(upper)
    return _checked(VersionRange(lower, upper), stripped)


def _checked(rng: VersionRange, text: str) -> VersionRange:
    if rng.lower is not None and rng.upper is not None and not rng.lower < rng.upper:
        raise RangeError(f"empty range {text!r}: the first version must be below the second")
    return rng


def range_from_cli(
    from_text: str | None, to_text: str | None, available_versions: Iterable[str]
) -> VersionRange:
    """Build the range of `--from A --to B`: `A < version <= B`.

    `X.Y` in `--from` means `X.Y.0`; in `--to` it means the newest `X.Y.*` among the
    available versions (the whole series when none is available).

    Args:
        from_text: The version upgraded from, or None for no lower bound.
        to_text: The version upgraded to, or None for no upper bound.
        available_versions: The versions of the loaded releases (unparseable ones ignored).

    Returns:
        The range.

    Raises:
        RangeError: When a bound is not a version, or the range is empty.
    """
    lower = _bound(from_text) if from_text else None
    upper = None
    if to_text:
        upper = _bound(to_text)
        if is_series_text(to_text):
            in_series = [
                version
                for version in (parse_version(text) for text in available_versions)
                if version is not None
                and (version.channel, version.major, version.minor)
                == (upper.channel, upper.major, upper.minor)
            ]
            upper = max(in_series) if in_series else series_end(upper)
    return _checked(VersionRange(lower, upper), f"{from_text or ''}..{to_text or ''}")
