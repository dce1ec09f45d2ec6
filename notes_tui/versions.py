"""Versions, their order, and version ranges: which releases to read when upgrading from A to B."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import overload

from notes_tui.model import Release

_VERSION = re.compile(
    r"(?:(?P<channel>[a-z][a-z0-9]*)-)?v?"
    r"(?P<major>\d+)\.(?P<minor>\d+)(?:\.(?P<patch>\d+))?"
    r"(?:-(?P<pre>[0-9a-z-]+(?:\.[0-9a-z-]+)*)"
    # Python's (PEP 440) suffixes, with no dash before them: `2.0b3`, `1.0.0rc1`,
    # `1.0.post1`, `1.0.dev0`, `1.0a1.dev2`. A dash (`-rc.1`, `-beta.2`) is the semver form.
    r"|(?:[._]?(?P<phase>alpha|beta|preview|pre|rc|a|b|c)[._-]?(?P<phase_number>\d*))?"
    r"(?:[._]?(?:post|rev|r)[._-]?(?P<post>\d*))?"
    r"(?:[._]?dev[._-]?(?P<dev>\d*))?"
    r")"
    r"(?:\+[0-9a-z.-]+)?",
    re.IGNORECASE,
)
_IDENTIFIER_PART = re.compile(r"\d+|[^\d]+")
_PHASES = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}
"""Python's spellings of a pre-release phase, normalised as PEP 440 does (`beta1` is `b1`)."""
_DEV, _END, _POST = -1, 2, 3
"""Sort keys of Python's suffixes beside the semver ones (numbers 0, words 1): a `.devN`
item sorts below everything (`1.0a1.dev0 < 1.0a1`), the end item closes a suffix that has
no `.devN`, and a `.postN` item sorts above that end (`1.0a1 < 1.0a1.post1`)."""

_FLOOR, _PRE_RELEASE, _RELEASE = -1, 0, 1
"""Stages: a series floor (below every real version of a series), a pre-release, a release."""

BULLETIN = "security-bulletin"
"""The document kind of security bulletins, which are placed by the versions they affect."""

_DROPPED_KINDS = frozenset({"index"})
"""Document kinds `select_range` never keeps: they hold no entries."""


@dataclass(frozen=True, order=True)
class Version:
    """A parsed version, ordered the semantic-version way.

    Fields compare in order: channel, major, minor, patch, stage, pre-release. So `1.10`
    comes after `1.9`, `1.28.0-rc.1` before `1.28.0`, `X.Y` equals `X.Y.0`, and versions
    of a channel (`edge-24.2.5`, `stable-2.14.10`) order among themselves, after the plain
    versions (channel `""`).
    """

    channel: str
    """The channel prefix, lower-cased (`edge`, `stable`), or `""` for none."""
    major: int
    """The first number."""
    minor: int
    """The second number."""
    patch: int
    """The third number (0 when the text has two)."""
    stage: int = _RELEASE
    """0 for a pre-release, 1 for a release (-1 only for the internal series floor)."""
    pre: tuple[tuple[int, int, str], ...] = ()
    """The pre-release identifiers as sort keys: numbers before words, `rc.2 < rc.10`.

    Python's suffixes also go here (see `_python_suffix`), `.postN` included: so
    `1.0.dev0 < 1.0a1 < 1.0b1 < 1.0rc1 < 1.0 < 1.0.post1` with no other field."""
    text: str = field(default="", compare=False)
    """The version as written."""

    def __str__(self) -> str:
        return self.text or f"{self.major}.{self.minor}.{self.patch}"

    @property
    def is_prerelease(self) -> bool:
        """Whether this is a pre-release (`-rc.1`, `-beta.2`, `b1`, `.dev0`...; not `.post1`)."""
        return self.stage == _PRE_RELEASE

    @property
    def is_floor(self) -> bool:
        """Whether this is a series floor: a bound below every version of a series."""
        return self.stage == _FLOOR

    @property
    def series(self) -> str:
        """The series, e.g. `1.28.x` (`edge-24.2.x` with a channel)."""
        prefix = f"{self.channel}-" if self.channel else ""
        return f"{prefix}{self.major}.{self.minor}.x"


def series_floor(major: int, minor: int, channel: str = "") -> Version:
    """Return the bound just below every version of a series, pre-releases included.

    Args:
        major: The series' first number.
        minor: The series' second number.
        channel: The channel prefix, if any.

    Returns:
        A version that is never released: `A < v` holds for every `v` of the series.
    """
    return Version(channel, major, minor, 0, _FLOOR, (), f"{major}.{minor}")


def parse_version(text: str) -> Version | None:
    """Parse a version string.

    Accepted: `1.28.0`, `1.10` (read as `1.10.0`), `v1.32.0-rc.2`, `1.28.0-beta.2`,
    Python's suffixes (`v2.14.0b1`, `v2.0b3`, `1.0.0rc1`, `1.0.post1`, `1.0.dev0`),
    channel prefixes (`edge-24.2.5`, `stable-2.14.10`) and build metadata (`+abc`,
    ignored in the order). Surrounding white space is ignored.

    Args:
        text: The version as written.

    Returns:
        The version, or None when the text is not a version (a bulletin id, a folder name).
    """
    stripped = text.strip()
    match = _VERSION.fullmatch(stripped)
    if match is None:
        return None
    pre_text = match.group("pre")
    pre: list[tuple[int, int, str]] = []
    for identifier in pre_text.split(".") if pre_text else ():
        # `rc1` reads as `rc` `1`, so that `rc10` follows `rc9`.
        for part in _IDENTIFIER_PART.findall(identifier.lower()):
            pre.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    is_prerelease = bool(pre_text)
    if not pre_text:
        pre, is_prerelease = _python_suffix(match)
    return Version(
        channel=(match.group("channel") or "").lower(),
        major=int(match.group("major")),
        minor=int(match.group("minor")),
        patch=int(match.group("patch") or 0),
        stage=_PRE_RELEASE if is_prerelease else _RELEASE,
        pre=tuple(pre),
        text=stripped,
    )


def _python_suffix(match: re.Match[str]) -> tuple[list[tuple[int, int, str]], bool]:
    """The sort key of Python's suffixes (`b1`, `rc2.dev0`, `.post1`), and whether it is a
    pre-release: PEP 440's order, `.dev0 < a1.dev0 < a1 < a1.post1 < b1 < rc1 < (final)
    < .post1.dev0 < .post1`. No suffix gives `[]`, the key of a plain release."""
    phase, post, dev = match.group("phase", "post", "dev")
    key: list[tuple[int, int, str]] = []
    if phase is not None:
        phase = phase.lower()
        key += [(1, 0, _PHASES.get(phase, phase)), (0, int(match.group("phase_number") or 0), "")]
    if post is not None:
        key.append((_POST, int(post or 0), "post"))
    if dev is not None:
        key.append((_DEV, int(dev or 0), "dev"))
    elif key:
        key.append((_END, 0, ""))
    return key, phase is not None or (dev is not None and post is None)


@overload
def series(version: Version) -> str: ...
@overload
def series(version: str) -> str | None: ...
def series(version: Version | str) -> str | None:
    """Return the series a version belongs to.

    Args:
        version: A version, or a version string.

    Returns:
        The series, e.g. `1.28.x` for `1.28.3` or `1.28`; None for a string that is no version.
    """
    parsed = parse_version(version) if isinstance(version, str) else version
    return parsed.series if parsed is not None else None


def release_version(release: Release) -> Version | None:
    """Return the version a release is placed at, or None when it has none.

    Minor notes written `1.28` count as `1.28.0`. Security bulletins have no version
    (even one titled after a version): they are placed by the versions they affect.

    Args:
        release: The release.

    Returns:
        Its parsed version, or None.
    """
    if release.doc_kind == BULLETIN:
        return None
    return parse_version(release.version)


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


def _series_end(version: Version) -> Version:
    """The upper bound that takes in a whole series (`..1.28` keeps every 1.28.*)."""
    return series_floor(version.major, version.minor + 1, version.channel)


def _is_short(text: str) -> bool:
    """Whether a version is written `X.Y` (a series), not `X.Y.Z`."""
    match = _VERSION.fullmatch(text.strip())
    if match is None or match.group("patch") is not None or match.group("pre") is not None:
        return False
    return match.group("phase", "post", "dev") == (None, None, None)


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
        if _is_short(stripped):
            return VersionRange(
                series_floor(version.major, version.minor, version.channel), _series_end(version)
            )
        return VersionRange(version, version, include_lower=True)
    lower_text, _, upper_text = stripped.partition("..")
    lower = _bound(lower_text) if lower_text.strip() else None
    upper = None
    if upper_text.strip():
        upper = _bound(upper_text)
        if _is_short(upper_text):
            upper = _series_end(upper)
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
        if _is_short(to_text):
            in_series = [
                version
                for version in (parse_version(text) for text in available_versions)
                if version is not None
                and (version.channel, version.major, version.minor)
                == (upper.channel, upper.major, upper.minor)
            ]
            upper = max(in_series) if in_series else _series_end(upper)
    return _checked(VersionRange(lower, upper), f"{from_text or ''}..{to_text or ''}")


def sorted_versions(texts: Iterable[str]) -> list[str]:
    """Sort version strings in version order, dropping those that do not parse.

    Args:
        texts: Version strings.

    Returns:
        The parseable ones, oldest first (ties keep their input order).
    """
    parsed = [(version, text) for text in texts if (version := parse_version(text)) is not None]
    return [text for _, text in sorted(parsed, key=lambda pair: pair[0])]


# Security bulletins: kept by the versions they affect (front matter `releases:`), else by date.

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
        return _Span(floor, _series_end(version), high_inclusive=False)
    # `1.26.0 to 1.26.3`, or one version (`1.28.0`; `1.5` is 1.5.0).
    span = _AFFECTED_SPAN.fullmatch(text)
    low_text, high_text = span.groups() if span else (text, text)
    low, high = parse_version(low_text), parse_version(high_text)
    if low is None or high is None:
        return None
    if span is not None and _is_short(high_text):
        return _Span(low, _series_end(high), high_inclusive=False)
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
