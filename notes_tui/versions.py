"""Versions and their order: parsing `1.28.0`, `v2.0b3`, `edge-24.2.5`, series and sorting."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


_MAJOR_ALONE = re.compile(r"v(\d+)", re.IGNORECASE)
"""A release named by its major version alone (`v3`)."""


def release_version(release: Release) -> Version | None:
    """Return the version a release is placed at, or None when it has none.

    Minor notes written `1.28` count as `1.28.0`, and a major version alone (`v3`, a
    changelog's heading) as `3.0.0`. Security bulletins have no version (even one titled
    after a version): they are placed by the versions they affect.

    Args:
        release: The release.

    Returns:
        Its parsed version, or None.
    """
    if release.doc_kind == BULLETIN:
        return None
    major = _MAJOR_ALONE.fullmatch(release.version)
    return parse_version(f"{major[1]}.0.0" if major else release.version)


def series_end(version: Version) -> Version:
    """Return the upper bound that takes in a whole series (`..1.28` keeps every 1.28.*).

    Args:
        version: A version of the series.

    Returns:
        The floor of the next series.
    """
    return series_floor(version.major, version.minor + 1, version.channel)


def is_series_text(text: str) -> bool:
    """Tell whether a version is written `X.Y` (a series), not `X.Y.Z`.

    Args:
        text: The version as written.

    Returns:
        True for `1.28`; False for `1.28.0`, `1.28-rc.1`, `1.28b1` and non-versions.
    """
    match = _VERSION.fullmatch(text.strip())
    if match is None or match.group("patch") is not None or match.group("pre") is not None:
        return False
    return match.group("phase", "post", "dev") == (None, None, None)


def sorted_versions(texts: Iterable[str]) -> list[str]:
    """Sort version strings in version order, dropping those that do not parse.

    Args:
        texts: Version strings.

    Returns:
        The parseable ones, oldest first (ties keep their input order).
    """
    parsed = [(version, text) for text in texts if (version := parse_version(text)) is not None]
    return [text for _, text in sorted(parsed, key=lambda pair: pair[0])]
